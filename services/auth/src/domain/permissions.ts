// Permission semantics, the same the gateway applies (gateway/src/auth/permission.ts): a permission
// is "<service>:<level>"; manage implies write implies read; "*" is everything.

/** The permission that grants everything: only the owner role holds it. */
export const ALL_PERMISSIONS = "*";

/** The levels of access to one service, weakest first. */
export const PERMISSION_LEVELS = ["read", "write", "manage"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

const PERMISSION = /^([a-z][a-z0-9_-]*):(read|write|manage)$/;

/** Parses "<service>:<level>"; undefined for anything else (including "*"). */
export function parsePermission(value: string): { service: string; level: PermissionLevel } | undefined {
  const match = PERMISSION.exec(value);
  return match ? { service: match[1]!, level: match[2] as PermissionLevel } : undefined;
}

/** True when `held` grants `needed`. Malformed values grant nothing and are never granted. */
export function grants(held: readonly string[], needed: string): boolean {
  if (needed === ALL_PERMISSIONS) return held.includes(ALL_PERMISSIONS);
  const want = parsePermission(needed);
  if (!want) return false;
  if (held.includes(ALL_PERMISSIONS)) return true;
  const rank = PERMISSION_LEVELS.indexOf(want.level);
  return held.some((value) => {
    const have = parsePermission(value);
    return have !== undefined && have.service === want.service && PERMISSION_LEVELS.indexOf(have.level) >= rank;
  });
}

/** True when `held` grants every one of `needed`. */
export function grantsAll(held: readonly string[], needed: readonly string[]): boolean {
  return needed.every((permission) => grants(held, permission));
}

/** The permissions granted by both `a` and `b` (a role narrowed by an API token's scopes). */
export function intersectPermissions(a: readonly string[], b: readonly string[]): string[] {
  const fromA = a.filter((permission) => grants(b, permission));
  const fromB = b.filter((permission) => grants(a, permission) && !fromA.includes(permission));
  return [...fromA, ...fromB];
}
