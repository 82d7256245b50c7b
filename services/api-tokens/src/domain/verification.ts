import type { Logger } from "@velaflows/kit";
import type { ApiTokensStore } from "../persistence/api-tokens-store";
import { tokenStatus } from "../persistence/token-status";
import { API_TOKEN_FORMAT, type TokenHasher } from "./token-secret";

/** An active token, as the gateway needs it to build its principal. */
export interface VerifiedToken {
  tokenId: string;
  workspaceId: string;
  scopes: string[];
  createdBy: string;
  environment: string;
  expiresAt: Date | null;
}

/** Answers "which active token is this?" for the gateway. */
export interface Verifier {
  /** The token when it is well formed, known, not revoked and not expired; otherwise undefined. */
  verify(token: string, logger: Pick<Logger, "warn">): Promise<VerifiedToken | undefined>;
}

/** How often a token's `last_used_at` is written at most. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Tokens remembered as recently touched, per replica, before old entries are pruned. */
const TOUCHED_MAX_ENTRIES = 10_000;

/**
 * One indexed lookup by the token's hash, confirmed in constant time, judged against the clock.
 * `last_used_at` is written in the background at most once a minute per token: a replica skips the
 * write when the row or its own memory shows a use within the minute, and the UPDATE's own
 * condition settles races between replicas. A failed write is logged and never fails the answer.
 */
export function createVerifier(deps: { store: ApiTokensStore; hasher: TokenHasher }): Verifier {
  const touched = new Map<string, number>();

  const touch = (tokenId: string, lastUsedAt: Date | null, now: Date, logger: Pick<Logger, "warn">) => {
    const since = now.getTime() - LAST_USED_RESOLUTION_MS;
    if ((lastUsedAt && lastUsedAt.getTime() > since) || (touched.get(tokenId) ?? 0) > since) return;
    if (touched.size >= TOUCHED_MAX_ENTRIES) {
      for (const [id, at] of touched) if (at <= since) touched.delete(id);
      if (touched.size >= TOUCHED_MAX_ENTRIES) touched.clear();
    }
    touched.set(tokenId, now.getTime());
    deps.store.read.tokens.touchLastUsed(tokenId, now).catch((error: unknown) => {
      touched.delete(tokenId);
      logger.warn({ err: error, api_token_id: tokenId }, "could not record the API token's last use");
    });
  };

  return {
    async verify(token, logger) {
      // Anything not of the form cannot be a token: answer without touching the database.
      if (!API_TOKEN_FORMAT.test(token)) return undefined;
      const row = await deps.store.read.tokens.findByHash(deps.hasher.hash(token));
      if (!row || !deps.hasher.matches(token, row.tokenHash)) return undefined;
      const now = new Date();
      if (tokenStatus(row, now) !== "active") return undefined;
      touch(row.id, row.lastUsedAt, now, logger);
      return {
        tokenId: row.id,
        workspaceId: row.workspaceId,
        scopes: row.scopes,
        createdBy: row.createdBy,
        environment: row.environment,
        expiresAt: row.expiresAt,
      };
    },
  };
}
