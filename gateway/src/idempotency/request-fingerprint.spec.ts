import { requestFingerprint, type RequestFingerprintInput } from "./request-fingerprint";

const base: RequestFingerprintInput = {
  method: "POST",
  pathAndQuery: "/api/v1/tags?dryRun=true&b=2",
  body: '{"name":"VIP","color":"#ff0000"}',
  principalKey: "token:t1",
  workspaceId: "665f1c2e9b1d4a0012345678",
};
const fingerprint = (changes: Partial<RequestFingerprintInput>) => requestFingerprint({ ...base, ...changes });

describe("requestFingerprint", () => {
  test("is a SHA-256 hex digest, stable for the same request", () => {
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...base })).toBe(requestFingerprint(base));
  });

  test.each<[string, Partial<RequestFingerprintInput>]>([
    ["the method's case", { method: "post" }],
    ["the order of query parameters", { pathAndQuery: "/api/v1/tags?b=2&dryRun=true" }],
    ["JSON key order and whitespace", { body: '{ "color": "#ff0000",\n  "name": "VIP" }' }],
    ["string escapes in JSON", { body: '{"name":"\\u0056IP","color":"#ff0000"}' }],
    ["bytes instead of a string", { body: new TextEncoder().encode('{"name":"VIP","color":"#ff0000"}') }],
  ])("ignores %s", (_, changes) => {
    expect(fingerprint(changes)).toBe(requestFingerprint(base));
  });

  test.each<[string, Partial<RequestFingerprintInput>]>([
    ["the method", { method: "PUT" }],
    ["the path", { pathAndQuery: "/api/v1/tags/1?dryRun=true&b=2" }],
    ["a query value", { pathAndQuery: "/api/v1/tags?dryRun=false&b=2" }],
    ["the order of a repeated parameter", { pathAndQuery: "/api/v1/tags?b=2&b=3&dryRun=true" }],
    ["a body value", { body: '{"name":"VIP2","color":"#ff0000"}' }],
    ["number text in the body", { body: '{"name":"VIP","color":"#ff0000","n":1.0}' }],
    ["no body", { body: undefined }],
    ["the principal", { principalKey: "token:t2" }],
    ["the workspace", { workspaceId: "665f1c2e9b1d4a0012345679" }],
    ["no workspace", { workspaceId: undefined }],
  ])("changes with %s", (_, changes) => {
    expect(fingerprint(changes)).not.toBe(requestFingerprint(base));
  });

  test("repeated parameters keep their order", () => {
    expect(fingerprint({ pathAndQuery: "/x?b=2&b=3" })).not.toBe(fingerprint({ pathAndQuery: "/x?b=3&b=2" }));
  });

  test("absent and empty bodies are the same; a non-JSON body counts byte for byte", () => {
    expect(fingerprint({ body: undefined })).toBe(fingerprint({ body: "" }));
    expect(fingerprint({ body: new Uint8Array() })).toBe(fingerprint({ body: "" }));
    expect(fingerprint({ body: "not json" })).not.toBe(fingerprint({ body: "not  json" }));
    expect(fingerprint({ body: new Uint8Array([0xff, 0xfe]) })).not.toBe(fingerprint({ body: new Uint8Array([0xff, 0xfd]) }));
  });

  test("fields cannot run into each other", () => {
    expect(fingerprint({ principalKey: "a", workspaceId: "bc" })).not.toBe(fingerprint({ principalKey: "ab", workspaceId: "c" }));
    expect(fingerprint({ pathAndQuery: "/x", body: "" })).not.toBe(fingerprint({ pathAndQuery: "/", body: "x" }));
  });
});
