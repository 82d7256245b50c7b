import { UnauthenticatedError } from "@velaflows/kit";
import type { Authenticator, Principal } from "../pipeline/principal";
import { cacheVerifiedCredentials } from "./verified-credential-cache";

function countingAuthenticator(answer: (credential: string) => Principal | undefined) {
  const calls: string[] = [];
  const authenticator: Authenticator = {
    async authenticate(credential) {
      calls.push(credential);
      const principal = answer(credential);
      if (credential === "bad") throw new UnauthenticatedError("bad token");
      return principal;
    },
  };
  return { authenticator, calls };
}

test("a verified credential is checked once per TTL", async () => {
  let clock = 1_000_000;
  const { authenticator, calls } = countingAuthenticator(() => ({ kind: "user", id: "u1", claims: { exp: 2_000_000 } }));
  const cached = cacheVerifiedCredentials(authenticator, { ttlMs: 30_000, now: () => clock });
  for (let i = 0; i < 5; i++) expect(await cached.authenticate("t1")).toMatchObject({ id: "u1" });
  expect(calls).toEqual(["t1"]);
  clock += 30_001;
  await cached.authenticate("t1");
  expect(calls).toEqual(["t1", "t1"]);
});

test("never past the token's own exp", async () => {
  let clock = 1_000_000;
  const { authenticator, calls } = countingAuthenticator((credential) => (clock >= 1_005_000 ? undefined : { kind: "user", id: credential, claims: { exp: 1_005 } }));
  const cached = cacheVerifiedCredentials(authenticator, { ttlMs: 60_000, now: () => clock });
  expect(await cached.authenticate("t")).toBeDefined();
  clock = 1_005_000;
  expect(await cached.authenticate("t")).toBeUndefined();
  expect(calls).toHaveLength(2);
});

test("refusals are not cached", async () => {
  const { authenticator, calls } = countingAuthenticator(() => undefined);
  const cached = cacheVerifiedCredentials(authenticator);
  await expect(cached.authenticate("bad")).rejects.toThrow("bad token");
  await expect(cached.authenticate("bad")).rejects.toThrow("bad token");
  expect(calls).toEqual(["bad", "bad"]);
});
