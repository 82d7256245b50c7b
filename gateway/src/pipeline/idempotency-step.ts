import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "../errors/http-error";
import type { IdempotencyStore, StoredResponse } from "../idempotency/idempotency-store";
import type { Access } from "./gateway-steps";

/** How long a first response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A POST that claimed its key: record its answer when done. */
export interface IdempotentRequest {
  finish(status: number, body: string): Promise<void>;
}

export type IdempotencyStart = { kind: "replay"; response: StoredResponse } | { kind: "run"; request?: IdempotentRequest };

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * For a POST with `Idempotency-Key`: replays the key's first response, refuses the key with 409
 * while its first request runs or when it was used for a different request, or claims it. Keys
 * are scoped by caller and workspace; a 5xx answer frees the key so the client may retry.
 */
export async function beginIdempotentRequest(
  store: IdempotencyStore,
  req: IncomingMessage,
  request: { access: Access; rawUrl: string; body: unknown },
): Promise<IdempotencyStart> {
  const header = req.headers["idempotency-key"];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return { kind: "run" };
  if (!KEY.test(key)) throw new HttpError(400, "BAD_REQUEST", "Idempotency-Key must be 1 to 255 visible ASCII characters");
  const caller = request.access.principal ? `${request.access.principal.kind}:${request.access.principal.id}` : "anonymous";
  const scopedKey = `${caller}|${request.access.workspaceId ?? "-"}|${key}`;
  const fingerprint = createHash("sha256")
    .update(`${req.method} ${request.rawUrl}\n`)
    .update(JSON.stringify(request.body ?? null))
    .digest("hex");
  const claim = await store.claim(scopedKey, fingerprint, IDEMPOTENCY_TTL_MS);
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
            else await store.complete(scopedKey, fingerprint, { status, headers: {}, body }, IDEMPOTENCY_TTL_MS);
          },
        },
      };
  }
}
