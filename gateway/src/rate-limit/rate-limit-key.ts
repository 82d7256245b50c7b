import { isIPv4, isIPv6 } from "node:net";
import type { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { rateLimitClassName } from "./rate-limit-policy";

/** What a class budget is counted against. */
export interface RateLimitKeyInput {
  /** The method's `rate_limit` option (UNSPECIFIED counts as general). */
  class: RateLimitClass;
  /**
   * The authenticated caller, when known: `token:<api token id>` for API tokens (the documented
   * budget is per token), `user:<user id>` for JWTs. Omit it for anonymous (public) methods.
   */
  principalKey?: string;
  /** The client address, used when there is no principal. */
  clientIp: string;
}

/**
 * The key of a class budget: per caller when authenticated (`general:p:token:abc`), else per client
 * address (`auth:ip:203.0.113.7`). Each class has its own budget, so a burst of logins does not eat
 * into the general budget, and two callers behind one address do not share one.
 */
export function rateLimitKey(input: RateLimitKeyInput): string {
  const subject = input.principalKey !== undefined && input.principalKey !== "" ? `p:${input.principalKey}` : `ip:${clientAddressKey(input.clientIp)}`;
  return `${rateLimitClassName(input.class)}:${subject}`;
}

/** The key of the per-IP limit that runs before authentication (`ip:203.0.113.7`). */
export function ipRateLimitKey(clientIp: string): string {
  return `ip:${clientAddressKey(clientIp)}`;
}

/**
 * Normalises a client address for counting: an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, as
 * a dual-stack socket reports IPv4 clients) becomes its IPv4 form, and an IPv6 address is reduced
 * to its /64 prefix (`2001:db8:0:1::/64`), the block one subscriber gets: counting full IPv6
 * addresses would let one client rotate through 2^64 of them, each with a fresh budget. Anything
 * else (not an address) is kept as it is.
 */
export function clientAddressKey(ip: string): string {
  const address = ip.trim();
  if (isIPv4(address)) return address; // the common case, before the IPv6 forms' larger checks
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const hextets = expandIPv6(address.split("%")[0]);
  return `${hextets.slice(0, 4).map((h) => h.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** The eight hextets of an IPv6 address (zone id removed), lower-case, `::` and IPv4 tails expanded. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head === "" ? [] : head.split(":");
  if (tail === undefined) return left;
  const right = tail === "" ? [] : tail.split(":");
  return [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
}
