import { WORKSPACES_CLAIM } from "@velaflows/kit";
import type { Membership, MembershipResolver } from "../pipeline/principal";

/**
 * A membership resolver that trusts the verified `workspaces` claim of the caller's JWT:
 * `{ "<workspaceId>": { "role": "admin", "permissions": ["tags:manage"] } }`. For development and
 * tests until the Auth service answers membership questions.
 *
 * Only users with verified claims can be members; API tokens and malformed entries resolve to
 * undefined (not a member). The answer depends on the token presented, so do not put it behind
 * `createCachedMembershipResolver` (two tokens of one user could carry different claims); it needs
 * no cache anyway.
 */
export function createClaimsMembershipResolver(): MembershipResolver {
  return {
    async resolve(principal, workspaceId) {
      if (principal.kind !== "user") return undefined;
      const workspaces = principal.claims?.[WORKSPACES_CLAIM];
      if (!isRecord(workspaces) || !Object.hasOwn(workspaces, workspaceId)) return undefined;
      return toMembership(workspaces[workspaceId]);
    },
  };
}

function toMembership(entry: unknown): Membership | undefined {
  if (!isRecord(entry)) return undefined;
  const { role, permissions } = entry;
  if (typeof role !== "string" || !Array.isArray(permissions)) return undefined;
  if (!permissions.every((permission): permission is string => typeof permission === "string")) return undefined;
  return { role, permissions: Object.freeze([...permissions]) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
