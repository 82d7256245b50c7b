import { expectFailure } from "@velaflows/testing";
import { UnauthenticatedError } from "@velaflows/kit";
import type { Authenticator, Principal } from "../pipeline/principal";
import { authenticateRequest } from "./authenticate";

// Two authenticators that each claim credentials by prefix, recording what they were asked.
function fakeAuthenticators() {
  const asked: string[] = [];
  const byPrefix = (name: string, prefix: string, kind: Principal["kind"]): Authenticator => ({
    async authenticate(credential) {
      asked.push(`${name}:${credential}`);
      if (!credential.startsWith(prefix)) return undefined;
      if (credential.endsWith("bad")) throw new UnauthenticatedError(`${name} refused`);
      return { kind, id: credential };
    },
  });
  return { asked, authenticators: [byPrefix("jwt", "eyJ", "user"), byPrefix("token", "sk_", "api_token")] };
}

describe("authenticateRequest", () => {
  test("no header: an anonymous request (undefined), no authenticator asked", async () => {
    const { asked, authenticators } = fakeAuthenticators();
    expect(await authenticateRequest(undefined, authenticators)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  test.each([
    ["Bearer eyJabc", { kind: "user", id: "eyJabc" }, ["jwt:eyJabc"]],
    ["bearer eyJabc", { kind: "user", id: "eyJabc" }, ["jwt:eyJabc"]],
    ["BEARER eyJabc", { kind: "user", id: "eyJabc" }, ["jwt:eyJabc"]],
    ["Bearer   eyJabc  ", { kind: "user", id: "eyJabc" }, ["jwt:eyJabc"]],
    ["Bearer sk_live_x", { kind: "api_token", id: "sk_live_x" }, ["jwt:sk_live_x", "token:sk_live_x"]],
    ["Bearer eyJ.a-b_c~d+e/f==", { kind: "user", id: "eyJ.a-b_c~d+e/f==" }, ["jwt:eyJ.a-b_c~d+e/f=="]],
  ])("%j: asks the authenticators in order until one recognises it", async (header, principal, expectedAsked) => {
    const { asked, authenticators } = fakeAuthenticators();
    expect(await authenticateRequest(header, authenticators)).toEqual(principal);
    expect(asked).toEqual(expectedAsked);
  });

  test.each([
    ["", 'Authorization header must be "Bearer <token>"'],
    ["Bearer", 'Authorization header must be "Bearer <token>"'],
    ["Bearer ", 'Authorization header must be "Bearer <token>"'],
    ["eyJabc", 'Authorization header must be "Bearer <token>"'],
    ["Bearer eyJabc eyJdef", 'Authorization header must be "Bearer <token>"'],
    ["Bearer eyJabc, Bearer eyJdef", 'Authorization header must be "Bearer <token>"'],
    ["Basic dXNlcjpwYXNz", "Unsupported authorization scheme: use Bearer"],
    ["Token sk_live_x", "Unsupported authorization scheme: use Bearer"],
    ["Bearer eyJ\"quoted\"", "Malformed bearer token"],
    ["Bearer eyJab=c", "Malformed bearer token"],
    ["Bearer opaque", "Unrecognised bearer token"],
  ])("%j is refused: %s", async (header, message) => {
    const { authenticators } = fakeAuthenticators();
    expect(await expectFailure(authenticateRequest(header, authenticators))).toMatchObject({ code: "UNAUTHENTICATED", message });
  });

  test("an authenticator's refusal is final: the credential is not offered to the next one", async () => {
    const { asked, authenticators } = fakeAuthenticators();
    expect(await expectFailure(authenticateRequest("Bearer eyJbad", authenticators))).toMatchObject({ message: "jwt refused" });
    expect(asked).toEqual(["jwt:eyJbad"]);
  });

  test("with no authenticators every credential is unrecognised", async () => {
    expect(await expectFailure(authenticateRequest("Bearer eyJabc", []))).toMatchObject({ message: "Unrecognised bearer token" });
  });
});
