import type { Membership, MembershipResolver, Principal } from "../pipeline/principal";
import { createCachedMembershipResolver } from "./membership-cache";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";
const OTHER_WS = "6612a1b2c3d4e5f6a7b8c9d0";
const agent: Membership = { role: "agent", permissions: ["tags:write"] };

// The Auth service's membership table, editable by the test, counting lookups.
function authService() {
  const table = new Map<string, Membership>([[`user:u1:${WS}`, agent]]);
  const lookups: string[] = [];
  const resolver: MembershipResolver = {
    async resolve(principal, workspaceId) {
      const key = `${principal.kind}:${principal.id}:${workspaceId}`;
      lookups.push(key);
      return table.get(key);
    },
  };
  return { table, lookups, resolver };
}

function fakeClock() {
  let time = 1_700_000_000_000;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

const u1: Principal = { kind: "user", id: "u1" };

describe("createCachedMembershipResolver", () => {
  test("a removed member loses access once the TTL has passed, not before", async () => {
    const auth = authService();
    const clock = fakeClock();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 100, now: clock.now });
    expect(await cached.resolve(u1, WS)).toEqual(agent);
    auth.table.delete(`user:u1:${WS}`);
    clock.advance(4_999);
    expect(await cached.resolve(u1, WS)).toEqual(agent);
    clock.advance(1);
    expect(await cached.resolve(u1, WS)).toBeUndefined();
    expect(auth.lookups).toHaveLength(2);
  });

  test("caches 'not a member' too", async () => {
    const auth = authService();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 100 });
    await cached.resolve(u1, OTHER_WS);
    await cached.resolve(u1, OTHER_WS);
    expect(auth.lookups).toEqual([`user:u1:${OTHER_WS}`]);
  });

  test.each<[string, Principal, string]>([
    ["another workspace", u1, OTHER_WS],
    ["another user", { kind: "user", id: "u2" }, WS],
    ["an API token with the same id", { kind: "api_token", id: "u1", workspaceId: WS }, WS],
  ])("keys by principal kind, principal id and workspace: %s is looked up separately", async (_, principal, workspaceId) => {
    const auth = authService();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 100 });
    await cached.resolve(u1, WS);
    expect(await cached.resolve(principal, workspaceId)).toBeUndefined();
    expect(auth.lookups).toHaveLength(2);
  });

  test("ids containing the separator do not collide", async () => {
    const auth = authService();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 100 });
    await cached.resolve({ kind: "user", id: `u1:${WS}` }, WS);
    await cached.resolve(u1, `${WS}:${WS}`);
    expect(auth.lookups).toHaveLength(2);
  });

  test("concurrent identical lookups share one call", async () => {
    const auth = authService();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 100 });
    const results = await Promise.all(Array.from({ length: 10 }, () => cached.resolve(u1, WS)));
    expect(results.every((membership) => membership === agent)).toBe(true);
    expect(auth.lookups).toHaveLength(1);
  });

  test("a failed lookup is not cached", async () => {
    let fail = true;
    const inner: MembershipResolver = {
      async resolve() {
        if (fail) throw new Error("auth unavailable");
        return agent;
      },
    };
    const cached = createCachedMembershipResolver(inner, { ttlMs: 5_000, maxEntries: 100 });
    await expect(cached.resolve(u1, WS)).rejects.toThrow("auth unavailable");
    fail = false;
    expect(await cached.resolve(u1, WS)).toEqual(agent);
  });

  test("holds at most maxEntries", async () => {
    const auth = authService();
    const cached = createCachedMembershipResolver(auth.resolver, { ttlMs: 5_000, maxEntries: 2 });
    for (const id of ["a", "b", "c"]) await cached.resolve({ kind: "user", id }, WS);
    await cached.resolve({ kind: "user", id: "a" }, WS);
    expect(auth.lookups).toHaveLength(4);
  });
});
