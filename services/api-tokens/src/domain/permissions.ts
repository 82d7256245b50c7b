/** The permission that grants everything (the owner role), and the scope of "all of my permissions". */
export const ALL_PERMISSIONS = "*";

/** Access levels to one service, weakest first: each implies the ones before it. */
export const PERMISSION_LEVELS = ["read", "write", "manage"] as const;

export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

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
 * True when `held` grants `needed`: the gateway's rule (gateway/src/auth/permission.ts), so a
 * caller may grant a token exactly what the gateway would let the caller do. `*` grants
 * everything and only `*` grants `*`; `manage` implies `write`, which implies `read`; malformed
 * values grant nothing.
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
