import { isIP } from "node:net";
import type { ChannelAddress } from "./http2-channel";

/**
 * Where an upstream lives, from a `<SERVICE>_ADDR` value in gRPC's name syntax: a DNS name to
 * resolve (and re-resolve) into any number of addresses, or a fixed list.
 */
export type GrpcTarget =
  | { kind: "dns"; host: string; port: number; authority: string }
  | { kind: "static"; addresses: ChannelAddress[]; authority: string };

const DEFAULT_PORT = 443; // gRPC's default, as grpc-js applies it

/**
 * Parses the target forms the services' addresses use (gRPC naming, as grpc-js accepts them):
 * `dns:///tags.velaflows.svc.cluster.local:50104` (a headless Service: every address it resolves
 * to), `dns:host:port`, `host:port`, `[::1]:50104`, `ipv4:10.0.0.1:50104,10.0.0.2:50104`,
 * `ipv6:[::1]:50104`, `unix:/run/tags.sock`. An IP literal is not looked up.
 */
export function parseGrpcTarget(target: string): GrpcTarget {
  const text = target.trim();
  if (text.startsWith("unix:")) {
    const path = text.startsWith("unix://") ? text.slice("unix://".length) : text.slice("unix:".length);
    if (!path) throw new Error(`Invalid gRPC target "${target}": no socket path`);
    return { kind: "static", addresses: [{ socketPath: path }], authority: "localhost" };
  }
  if (text.startsWith("ipv4:") || text.startsWith("ipv6:")) {
    const addresses = text
      .slice(5)
      .split(",")
      .map((part) => {
        const { host, port } = hostAndPort(part, target);
        if (!isIP(host)) throw new Error(`Invalid gRPC target "${target}": "${host}" is not an IP address`);
        return { host, port };
      });
    return { kind: "static", addresses, authority: "localhost" };
  }
  let name = text;
  if (name.startsWith("dns:")) {
    name = name.slice(4);
    // dns://authority/host:port: the DNS server authority is not supported by the system resolver either; ignored.
    if (name.startsWith("//")) name = name.slice(name.indexOf("/", 2) + 1);
  }
  const { host, port } = hostAndPort(name, target);
  const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  if (isIP(host)) return { kind: "static", addresses: [{ host, port }], authority };
  return { kind: "dns", host, port, authority };
}

function hostAndPort(text: string, target: string): { host: string; port: number } {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) throw new Error(`Invalid gRPC target "${target}": unclosed "["`);
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest) {
      if (!rest.startsWith(":")) throw new Error(`Invalid gRPC target "${target}"`);
      portText = rest.slice(1);
    }
  } else {
    const colon = text.lastIndexOf(":");
    // More than one colon without brackets: a bare IPv6 address, no port.
    if (colon >= 0 && text.indexOf(":") === colon) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Invalid gRPC target "${target}"`);
  return { host, port };
}
