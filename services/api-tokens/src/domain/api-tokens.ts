import { FailedPreconditionError, newObjectId, NotFoundError, UnauthenticatedError, ValidationError, type FieldViolation, type ListParams, grants } from "@velaflows/kit";
import type { ApiTokenEntity } from "../persistence/api-token.entity";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import type { ApiTokensStore, ApiTokensUnit } from "../persistence/api-tokens-store";
import { tokenStatus, type TokenStatus } from "../persistence/token-status";
import { apiTokenCreated, apiTokenDeleted, apiTokenRevoked, apiTokenRotated, apiTokenUpdated } from "./api-token-events";
import type { ScopeCatalog } from "./scope-catalog";
import { assertCallerHolds, cleanScopes, cleanTokenName } from "./token-rules";
import { generateToken, type TokenEnvironment, type TokenHasher } from "./token-secret";

/** What the token rules work with, built once in main.ts. */
export interface ApiTokensDeps {
  store: ApiTokensStore;
  catalog: ScopeCatalog;
  hasher: TokenHasher;
}

/** Who is calling, from the gateway's metadata. */
export interface Caller {
  workspaceId: string;
  userId?: string;
  /** What the caller may do in the workspace (`x-permissions`); a token can never exceed it. */
  permissions: readonly string[];
}

export interface NewApiToken {
  name: string;
  scopes: readonly string[];
  expiresAt?: Date;
  /** "" means "live". */
  environment: string;
}

/** A token with its secret: the answer of a create or a rotation, and never of anything else. */
export interface IssuedToken {
  token: ApiTokenEntity;
  secret: string;
}

export async function createApiToken(deps: ApiTokensDeps, caller: Caller, input: NewApiToken): Promise<IssuedToken> {
  // The gateway resolves an API token's permissions through its creator's membership.
  if (!caller.userId) throw new UnauthenticatedError("x-user-id metadata is required: a token acts on behalf of the user who creates it");
  const now = new Date();
  const violations: FieldViolation[] = [];
  const name = cleanTokenName(input.name, "name", violations);
  const scopes = cleanScopes(deps.catalog, input.scopes, (i) => `scopes[${i}]`, violations);
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) violations.push({ path: "expiresAt", message: "must be in the future" });
  if (violations.length > 0) throw new ValidationError(violations);
  assertCallerHolds(caller.permissions, scopes, "grant");

  const environment = (input.environment || "live") as TokenEnvironment;
  const { token: secret, prefix } = generateToken(environment);
  return deps.store.transaction(async (unit) => {
    const inserted = await unit.tokens.insert(caller.workspaceId, {
      id: newObjectId(now),
      name,
      prefix,
      tokenHash: deps.hasher.hash(secret),
      scopes,
      environment,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
      revokedBy: null,
      rotatedAt: null,
      createdBy: caller.userId,
    });
    const saved = await mustFind(unit, caller.workspaceId, inserted.id);
    await unit.publish([apiTokenCreated(caller.workspaceId, { token: toApiTokenProto(saved) })]);
    return { token: saved, secret };
  });
}

export async function getApiToken(deps: ApiTokensDeps, workspaceId: string, id: string): Promise<ApiTokenEntity> {
  const token = await deps.store.read.tokens.findById(workspaceId, id);
  if (!token) throw new NotFoundError("ApiToken", id);
  return token;
}

export function listApiTokens(deps: ApiTokensDeps, workspaceId: string, filter: { status?: TokenStatus; environment?: string }, params: ListParams) {
  return deps.store.read.tokens.list(workspaceId, { ...filter, now: new Date() }, params);
}

/** The fields of a token that can be updated, by their proto paths. */
export const UPDATABLE_TOKEN_FIELDS = ["name", "scopes"] as const;
export type UpdatableTokenField = (typeof UPDATABLE_TOKEN_FIELDS)[number];

/**
 * Applies the named fields; an update that changes nothing publishes nothing. Scopes the token
 * did not already grant must be held by the caller; narrowing needs no more than the manage right.
 */
export async function updateApiToken(
  deps: ApiTokensDeps,
  caller: Caller,
  id: string,
  fields: readonly UpdatableTokenField[],
  changes: { name: string; scopes: readonly string[] },
): Promise<ApiTokenEntity> {
  const violations: FieldViolation[] = [];
  const name = fields.includes("name") ? cleanTokenName(changes.name, "token.name", violations) : undefined;
  let scopes: string[] | undefined;
  if (fields.includes("scopes")) {
    if (changes.scopes.length === 0) violations.push({ path: "token.scopes", message: "is required" });
    scopes = cleanScopes(deps.catalog, changes.scopes, (i) => `token.scopes[${i}]`, violations);
  }
  if (violations.length > 0) throw new ValidationError(violations);

  return deps.store.transaction(async (unit) => {
    const current = await mustFind(unit, caller.workspaceId, id, { lock: true });
    const patch: { name?: string; scopes?: string[] } = {};
    if (name !== undefined && name !== current.name) patch.name = name;
    if (scopes !== undefined && scopes.join() !== current.scopes.join()) {
      assertCallerHolds(caller.permissions, scopes.filter((scope) => !grants(current.scopes, scope)), "grant");
      patch.scopes = scopes;
    }
    const changed = Object.keys(patch);
    if (changed.length === 0) return current;
    await unit.tokens.update(caller.workspaceId, id, patch);
    const updated = await mustFind(unit, caller.workspaceId, id);
    await unit.publish([apiTokenUpdated(caller.workspaceId, { token: toApiTokenProto(updated), changedFields: changed })]);
    return updated;
  });
}

/** Revokes a token for good; revoking a revoked token returns it unchanged and publishes nothing. */
export async function revokeApiToken(deps: ApiTokensDeps, caller: Caller, id: string): Promise<ApiTokenEntity> {
  return deps.store.transaction(async (unit) => {
    const current = await mustFind(unit, caller.workspaceId, id, { lock: true });
    if (current.revokedAt) return current;
    await unit.tokens.update(caller.workspaceId, id, { revokedAt: new Date(), revokedBy: caller.userId ?? null });
    const revoked = await mustFind(unit, caller.workspaceId, id);
    await unit.publish([apiTokenRevoked(caller.workspaceId, { token: toApiTokenProto(revoked) })]);
    return revoked;
  });
}

/**
 * Gives an active token a new secret in place (same id, name, scopes, expiry): the old hash is
 * overwritten, so the old secret stops verifying with this commit. Whoever receives the new
 * secret can use the token's scopes, so the caller must hold them all, as at creation.
 */
export async function rotateApiToken(deps: ApiTokensDeps, caller: Caller, id: string): Promise<IssuedToken> {
  return deps.store.transaction(async (unit) => {
    const current = await mustFind(unit, caller.workspaceId, id, { lock: true });
    const now = new Date();
    const status = tokenStatus(current, now);
    if (status === "revoked") throw new FailedPreconditionError("A revoked token cannot be rotated; create a new one", "API_TOKEN_REVOKED");
    if (status === "expired") throw new FailedPreconditionError("An expired token cannot be rotated; create a new one", "API_TOKEN_EXPIRED");
    assertCallerHolds(caller.permissions, current.scopes, "rotate a token with");
    const { token: secret, prefix } = generateToken(current.environment as TokenEnvironment);
    await unit.tokens.update(caller.workspaceId, id, { tokenHash: deps.hasher.hash(secret), prefix, rotatedAt: now });
    const rotated = await mustFind(unit, caller.workspaceId, id);
    await unit.publish([apiTokenRotated(caller.workspaceId, { token: toApiTokenProto(rotated) })]);
    return { token: rotated, secret };
  });
}

export async function deleteApiToken(deps: ApiTokensDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const current = await mustFind(unit, caller.workspaceId, id, { lock: true });
    await unit.tokens.delete(caller.workspaceId, id);
    await unit.publish([apiTokenDeleted(caller.workspaceId, { tokenId: id, name: current.name, prefix: current.prefix })]);
  });
}

async function mustFind(unit: Pick<ApiTokensUnit, "tokens">, workspaceId: string, id: string, options: { lock?: boolean } = {}): Promise<ApiTokenEntity> {
  const token = options.lock ? await unit.tokens.findForUpdate(workspaceId, id) : await unit.tokens.findById(workspaceId, id);
  if (!token) throw new NotFoundError("ApiToken", id);
  return token;
}
