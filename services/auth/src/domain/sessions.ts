import { mintAccessToken, newObjectId, NotFoundError, UnauthenticatedError } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { SessionEntity } from "../persistence/session.entity";
import { audit, PLATFORM_WORKSPACE_ID } from "./audit";
import type { AuthDeps, AuthSettings } from "./deps";
import type { CallOrigin } from "./origin";
import { issueSecretToken, parseSecretToken, secretMatches } from "./secret-tokens";

/** The tokens a client holds for one session. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: "Bearer";
}

/** A session opened inside a transaction; its access token is minted once the transaction commits. */
export interface OpenedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
}

const DAY_MS = 24 * 3600_000;

/** Starts a session for `userId` with its first refresh token. */
export async function openSession(unit: AuthUnit, settings: AuthSettings, userId: string, origin: CallOrigin, now = new Date()): Promise<OpenedSession> {
  const expiresAt = new Date(now.getTime() + settings.refreshTokenTtlDays * DAY_MS);
  const session = await unit.sessions.insert({
    id: newObjectId(now),
    userId,
    lastUsedAt: now,
    expiresAt,
    revokedAt: null,
    revokedReason: null,
    ip: origin.ip.slice(0, 64),
    userAgent: origin.userAgent.slice(0, 512),
  });
  const refresh = issueSecretToken();
  await unit.sessions.insertToken({ id: refresh.id, sessionId: session.id, secretHash: refresh.secretHash, expiresAt, usedAt: null });
  return { userId, sessionId: session.id, refreshToken: refresh.token };
}

/**
 * The access token of a session: an EdDSA JWT with only `sub`, `sid`, `iss`, `aud`, `iat`, `nbf`
 * and `exp`. Permissions are not in it: the gateway asks ResolveMembership, so a role change or a
 * removal takes effect without waiting for tokens to expire.
 */
export async function tokensFor(deps: Pick<AuthDeps, "keys" | "settings">, opened: OpenedSession): Promise<TokenPair> {
  const { settings } = deps;
  const accessToken = await mintAccessToken({
    signingKey: await deps.keys.current(),
    issuer: settings.issuer,
    audience: settings.audience,
    subject: opened.userId,
    ttlSeconds: settings.accessTokenTtlSeconds,
    extraClaims: { sid: opened.sessionId },
  });
  return { accessToken, refreshToken: opened.refreshToken, expiresIn: settings.accessTokenTtlSeconds, tokenType: "Bearer" };
}

const INVALID_REFRESH_TOKEN = "Invalid refresh token";

type RefreshOutcome = { ok: OpenedSession } | { refused: string };

/**
 * Rotates a refresh token: the presented one is used up and a new one of the same session is
 * issued. Presenting a token that was already used means it leaked (or a client raced itself):
 * the whole session is revoked, which the refusal's transaction commits before answering.
 */
export async function refreshSession(deps: AuthDeps, presented: string, origin: CallOrigin): Promise<TokenPair> {
  const parsed = parseSecretToken(presented);
  if (!parsed) throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
  const outcome = await deps.store.transaction(async (unit): Promise<RefreshOutcome> => {
    const now = new Date();
    const token = await unit.sessions.findToken(parsed.id);
    if (!token || !secretMatches(parsed.secret, token.secretHash)) return { refused: INVALID_REFRESH_TOKEN };
    const session = await unit.sessions.findById(token.sessionId);
    if (!session || session.revokedAt) return { refused: "Session has ended" };
    if (token.usedAt || !(await unit.sessions.markTokenUsed(token.id, now))) {
      await unit.sessions.revoke(session.id, "reuse_detected", now);
      await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: session.userId }, {
        action: "session.reuse_detected",
        targetType: "session",
        targetId: session.id,
        details: { refreshTokenId: token.id },
      });
      return { refused: "Refresh token was already used; the session has been ended" };
    }
    if (token.expiresAt <= now || session.expiresAt <= now) return { refused: "Refresh token has expired" };
    const expiresAt = new Date(now.getTime() + deps.settings.refreshTokenTtlDays * DAY_MS);
    const next = issueSecretToken();
    await unit.sessions.insertToken({ id: next.id, sessionId: session.id, secretHash: next.secretHash, expiresAt, usedAt: null });
    await unit.sessions.touch(session.id, now, expiresAt);
    return { ok: { userId: session.userId, sessionId: session.id, refreshToken: next.token } };
  });
  if ("refused" in outcome) throw new UnauthenticatedError(outcome.refused);
  return tokensFor(deps, outcome.ok);
}

/** Ends the session of a refresh token (used or not: either way its holder wants out). */
export async function logout(deps: AuthDeps, presented: string, origin: CallOrigin): Promise<void> {
  const parsed = parseSecretToken(presented);
  if (!parsed) throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
  await deps.store.transaction(async (unit) => {
    const token = await unit.sessions.findToken(parsed.id);
    if (!token || !secretMatches(parsed.secret, token.secretHash)) throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
    const session = await unit.sessions.findById(token.sessionId);
    if (session && (await unit.sessions.revoke(session.id, "logout", new Date()))) {
      await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: session.userId }, { action: "session.logout", targetType: "session", targetId: session.id });
    }
  });
}

/** The user's sessions that still work. */
export function listSessions(deps: AuthDeps, userId: string): Promise<SessionEntity[]> {
  return deps.store.read.sessions.listActive(userId, new Date());
}

/** Ends one of the user's own sessions; another user's session is NOT_FOUND. */
export async function revokeSession(deps: AuthDeps, userId: string, sessionId: string, origin: CallOrigin): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const session = await unit.sessions.findById(sessionId);
    if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= new Date()) throw new NotFoundError("Session", sessionId);
    await unit.sessions.revoke(sessionId, "revoked", new Date());
    await audit(unit, PLATFORM_WORKSPACE_ID, origin, { action: "session.revoked", targetType: "session", targetId: sessionId });
  });
}
