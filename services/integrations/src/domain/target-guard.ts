import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { ValidationError } from "@velaflows/kit";

/** Which receivers are allowed (WEBHOOK_REQUIRE_HTTPS, WEBHOOK_ALLOW_PRIVATE_TARGETS). */
export interface TargetPolicy {
  requireHttps: boolean;
  allowPrivateTargets: boolean;
}

// Addresses a webhook must never reach: it would let a workspace probe or call the cluster, the
// node or the cloud's metadata service (SSRF).
const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, including the metadata service 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
  ["2001:db8::", 32], // documentation
  ["fd00:ec2::254", 128], // AWS metadata over IPv6 (inside fc00::/7 too)
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

const BLOCKED_NAMES = /^(localhost|metadata|metadata\.google\.internal|instance-data)$|\.(localhost|internal|local)$/i;

/** Whether an IP address is private, loopback, link-local, unique-local, metadata or reserved. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const embedded = embeddedIpv4(address);
  if (embedded) return blocked.check(embedded, "ipv4");
  return blocked.check(address, "ipv6");
}

// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms
// reach the IPv4 address they carry.
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return undefined;
}

/** Why a target URL is refused, or undefined when its form and host are acceptable. */
function refusalOf(url: URL, policy: TargetPolicy): string | undefined {
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
  if (policy.requireHttps && url.protocol !== "https:") return "must use https";
  if (url.username || url.password) return "must not carry credentials";
  if (policy.allowPrivateTargets) return undefined;
  const host = hostOf(url);
  if (BLOCKED_NAMES.test(host)) return "must not point to a private, loopback or metadata host";
  if (isIP(host) && isBlockedAddress(host)) return "must not point to a private, loopback, link-local or metadata address";
  return undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Checks a receiver URL when a subscription is created or changed: http(s) (https only when
 * required), no credentials, and, unless private targets are allowed, neither a private host name
 * nor a name or literal address resolving to a blocked address. A name that does not resolve now
 * is accepted: the delivery-time check is the one that counts. Throws a ValidationError on `path`.
 */
export async function checkTargetUrl(raw: string, policy: TargetPolicy, path = "url"): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError([{ path, message: "must be an absolute http(s) URL" }]);
  }
  const refusal = refusalOf(url, policy);
  if (refusal) throw new ValidationError([{ path, message: refusal }]);
  const host = hostOf(url);
  if (!policy.allowPrivateTargets && !isIP(host)) {
    const addresses = await resolveAll(host).catch(() => [] as LookupAddress[]);
    if (addresses.some((a) => isBlockedAddress(a.address))) {
      throw new ValidationError([{ path, message: "must not resolve to a private, loopback, link-local or metadata address" }]);
    }
  }
  return url.toString();
}

/**
 * Checks a URL again right before a delivery (settings and DNS may have changed since the
 * subscription was made); throws an Error whose message is recorded on the attempt.
 */
export function assertDeliverable(url: URL, policy: TargetPolicy): void {
  const refusal = refusalOf(url, policy);
  if (refusal) throw new TargetRefusedError(`target refused: URL ${refusal}`);
}

export class TargetRefusedError extends Error {}

/**
 * A `lookup` for http.request that resolves the host and refuses it when any address is blocked,
 * then connects to the address it checked: the check and the connection see the same answer, so
 * DNS rebinding between them cannot reach a private address.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolveAll(hostname).then(
      (addresses) => {
        if (!policy.allowPrivateTargets && addresses.some((a) => isBlockedAddress(a.address))) {
          callback(new TargetRefusedError(`target refused: ${hostname} resolves to a private, loopback, link-local or metadata address`), "", 4);
          return;
        }
        const all = (options as { all?: boolean }).all;
        if (all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}
