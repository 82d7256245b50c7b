// Permission semantics shared by the gateway (authorization), Auth (roles) and API Tokens (scopes):
// a permission is "<service>:<read|write|manage>"; manage implies write implies read; "*" is all.
/** The permission that grants everything: the owner role holds it. */
export const ALL_PERMISSIONS = "*";

/** The levels of access to one service, weakest first: each implies the ones before it. */
export const PERMISSION_LEVELS = ["read", "write", "manage"] as const;

/** A permission level: `manage` implies `write`, which implies `read`. */
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** A parsed `<service>:<level>` permission. */
export interface Permission {
  /** The service's manifest name, e.g. "tags" or "api-tokens". */
  service: string;
  level: PermissionLevel;
}

const PERMISSION = /^([a-z][a-z0-9_-]*):(read|write|manage)$/;

/** Parses `<service>:<read|write|manage>`; undefined for anything else (including "*"). */
export function parsePermission(value: string): Permission | undefined {
  const match = PERMISSION.exec(value);
  return match ? { service: match[1]!, level: match[2] as PermissionLevel } : undefined;
}

/**
 * True when the `held` permissions grant `needed`: `*` grants everything; `<service>:manage`
 * grants `write` and `read` of the same service, and `write` grants `read`. Malformed entries of
 * `held` grant nothing, and a malformed `needed` is never granted (fail closed). `needed` may itself
 * be `*`, which only `*` grants.
 */
export function grants(held: readonly string[], needed: string): boolean {
  if (needed === ALL_PERMISSIONS) return held.includes(ALL_PERMISSIONS);
  const want = parsePermission(needed);
  if (!want) return false;
  if (held.includes(ALL_PERMISSIONS)) return true;
  const wantRank = PERMISSION_LEVELS.indexOf(want.level);
  return held.some((value) => {
    const have = parsePermission(value);
    return have !== undefined && have.service === want.service && PERMISSION_LEVELS.indexOf(have.level) >= wantRank;
  });
}

/** True when `held` grants every one of `needed`. */
export function grantsAll(held: readonly string[], needed: readonly string[]): boolean {
  return needed.every((permission) => grants(held, permission));
}

/**
 * The permissions granted by both `a` and `b`, e.g. what an API token may do: its creator's role
 * (`a`) narrowed by the token's scopes (`b`). The result is a list whose {@link grants} answers
 * exactly "granted by `a` and by `b`": per service, the weaker of the two levels.
 */
export function intersectPermissions(a: readonly string[], b: readonly string[]): string[] {
  const fromA = a.filter((permission) => grants(b, permission));
  const fromB = b.filter((permission) => grants(a, permission) && !fromA.includes(permission));
  return [...fromA, ...fromB];
}
