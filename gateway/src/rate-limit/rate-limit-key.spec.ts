import { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { clientAddressKey, ipRateLimitKey, rateLimitKey } from "./rate-limit-key";

describe("rateLimitKey", () => {
  test.each([
    ["an API token", { class: RateLimitClass.GENERAL, principalKey: "token:t1", clientIp: "203.0.113.7" }, "general:p:token:t1"],
    ["a user, UNSPECIFIED counted as general", { class: RateLimitClass.UNSPECIFIED, principalKey: "user:u1", clientIp: "203.0.113.7" }, "general:p:user:u1"],
    ["an anonymous caller, by IP", { class: RateLimitClass.AUTH, clientIp: "203.0.113.7" }, "auth:ip:203.0.113.7"],
    ["an empty principal, by IP", { class: RateLimitClass.UPLOAD, principalKey: "", clientIp: "203.0.113.7" }, "upload:ip:203.0.113.7"],
    ["a bulk call from an IPv6 client", { class: RateLimitClass.BULK, clientIp: "2001:db8:0:1:aaaa::1" }, "bulk:ip:2001:db8:0:1::/64"],
  ])("keys %s", (_, input, expected) => {
    expect(rateLimitKey(input)).toBe(expected);
  });

  test("the pre-auth IP key never equals a class key", () => {
    expect(ipRateLimitKey("::ffff:203.0.113.7")).toBe("ip:203.0.113.7");
    expect(ipRateLimitKey("203.0.113.7")).not.toBe(rateLimitKey({ class: RateLimitClass.GENERAL, clientIp: "203.0.113.7" }));
  });
});

describe("clientAddressKey", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:10.0.0.1", "10.0.0.1"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:0db8:0000:0001:ffff:0:0:1", "2001:db8:0:1::/64"],
    ["2001:DB8:0:1::abcd", "2001:db8:0:1::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::198.51.100.1", "64:ff9b:0:0::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (ip, expected) => {
    expect(clientAddressKey(ip)).toBe(expected);
  });

  test("addresses in one /64 share a key, other /64s do not", () => {
    expect(clientAddressKey("2001:db8:0:1::1")).toBe(clientAddressKey("2001:db8:0:1:ffff:ffff:ffff:ffff"));
    expect(clientAddressKey("2001:db8:0:1::1")).not.toBe(clientAddressKey("2001:db8:0:2::1"));
  });
});
