import { HttpError } from "../errors/http-error";
import { parseIdempotencyKey, idempotencyScopeKey } from "../idempotency/idempotency-key";
import { DEFAULT_IDEMPOTENCY_CLAIM_TTL_MS, DEFAULT_IDEMPOTENCY_TTL_MS, type IdempotencyStore, type StoredResponse } from "../idempotency/idempotency-store";
import { requestFingerprint } from "../idempotency/request-fingerprint";
import type { Access } from "./gateway-steps";
import { principalKey } from "./principal";

/** A request that claimed its key: record its answer when done. */
export interface IdempotentRequest {
  /** Records the answer for replay; a 5xx frees the key instead, so the client may retry. */
  finish(status: number, body: string): Promise<void>;
}

/** What identifies a request for its Idempotency-Key, from either edge (REST or Connect). */
export interface IdempotencyFacts {
  /** The `Idempotency-Key` header(s) as received. */
  keyHeader: string | readonly string[] | undefined;
  /** The HTTP method. */
  method: string;
  /** What was called: REST's raw path and query, or the Connect procedure. */
  target: string;
  /** The request's content: REST's raw body, or the encoded request message. */
  body: string;
  access: Access;
  /** The client's address: the caller of a request without a principal. */
  remoteAddress: string | undefined;
}

export type IdempotencyStart = { kind: "replay"; response: StoredResponse } | { kind: "run"; request?: IdempotentRequest };

/**
 * For a POST with `Idempotency-Key`: replays the key's first response, refuses the key with 409
 * while its first request runs or when it was used for a different request, or claims it. Keys
 * are scoped by caller and workspace; a 5xx answer frees the key so the client may retry.
 */
export async function beginIdempotentRequest(store: IdempotencyStore, request: IdempotencyFacts): Promise<IdempotencyStart> {
  const key = parseIdempotencyKey(request.keyHeader);
  if (key === undefined) return { kind: "run" };
  const principal = request.access.principal;
  const caller = principal ? principalKey(principal) : `anonymous:${request.remoteAddress ?? ""}`;
  const scopedKey = idempotencyScopeKey(caller, request.access.workspaceId, key);
  const fingerprint = requestFingerprint({
    method: request.method,
    pathAndQuery: request.target,
    body: request.body,
    principalKey: caller,
    workspaceId: request.access.workspaceId,
  });
  // A short claim: if this gateway dies mid-request, the key frees itself for the client's retry.
  const claim = await store.claim(scopedKey, fingerprint, DEFAULT_IDEMPOTENCY_CLAIM_TTL_MS);
  switch (claim.state) {
    case "completed":
      return { kind: "replay", response: claim.response };
    case "mismatch":
      throw new HttpError(409, "CONFLICT", "This Idempotency-Key was already used for a different request");
    case "in_flight":
      throw new HttpError(409, "CONFLICT", "A request with this Idempotency-Key is still being processed; retry later");
    case "claimed":
      return {
        kind: "run",
        request: {
          async finish(status, body) {
            if (status >= 500) await store.release(scopedKey);
            else await store.complete(scopedKey, fingerprint, { status, headers: {}, body }, DEFAULT_IDEMPOTENCY_TTL_MS);
          },
        },
      };
  }
}
