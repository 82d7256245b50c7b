import { checkTargetUrl, guardedLookup, isBlockedAddress } from "./target-guard";

describe("isBlockedAddress", () => {
  test.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "64:ff9b::10.0.0.1",
    "not an address",
  ])("blocks %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  test.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe("checkTargetUrl", () => {
  const strict = { requireHttps: true, allowPrivateTargets: false };
  const local = { requireHttps: false, allowPrivateTargets: true };

  test.each([
    ["http://example.com/hook", "must use https"],
    ["https://127.0.0.1/hook", "must not point to a private, loopback, link-local or metadata address"],
    ["https://[::1]/hook", "must not point to a private, loopback, link-local or metadata address"],
    ["https://169.254.169.254/latest/meta-data", "must not point to a private, loopback, link-local or metadata address"],
    ["https://10.0.0.5:8443/hook", "must not point to a private, loopback, link-local or metadata address"],
    ["https://[fd00::1]/hook", "must not point to a private, loopback, link-local or metadata address"],
    ["https://localhost/hook", "must not point to a private, loopback or metadata host"],
    ["https://metadata.google.internal/computeMetadata/v1/", "must not point to a private, loopback or metadata host"],
    ["https://user:pw@example.com/hook", "must not carry credentials"],
    ["ftp://example.com/hook", "must be an http(s) URL"],
    ["nonsense", "must be an absolute http(s) URL"],
  ])("refuses %s in production", async (url, message) => {
    await expect(checkTargetUrl(url, strict)).rejects.toMatchObject({ violations: [{ path: "url", message }] });
  });

  test("accepts a public https URL in production, and loopback when private targets are allowed", async () => {
    await expect(checkTargetUrl("https://93.184.216.34/hook", strict)).resolves.toBe("https://93.184.216.34/hook");
    await expect(checkTargetUrl("http://127.0.0.1:8080/hook", local)).resolves.toBe("http://127.0.0.1:8080/hook");
  });
});

describe("guardedLookup (the delivery-time check of resolved addresses)", () => {
  const lookup = (policy: { requireHttps: boolean; allowPrivateTargets: boolean }, host: string) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => guardedLookup(policy)(host, {}, (error, address) => resolve({ error, address })));

  test("refuses a name that resolves to loopback", async () => {
    const { error } = await lookup({ requireHttps: false, allowPrivateTargets: false }, "localhost");
    expect(error?.message).toBe("target refused: localhost resolves to a private, loopback, link-local or metadata address");
  });

  test("lets it through when private targets are allowed, connecting to the checked address", async () => {
    const { error, address } = await lookup({ requireHttps: false, allowPrivateTargets: true }, "localhost");
    expect(error).toBeNull();
    expect(isBlockedAddress(address as string)).toBe(true);
  });
});
