import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError } from "../errors/service-error";

/** The ErrorInfo metadata key of a batch get's NOT_FOUND: the missing ids, comma-separated. */
export const MISSING_IDS_KEY = "missing_ids";

/**
 * The answer of a batch get (AIP-231): `found` (rows of the workspace, any order) put in the order
 * of `ids`, a repeated id repeating its row. All or nothing: one unknown id fails the call with
 * NOT_FOUND naming every missing id, so a caller checking references learns them all at once.
 */
export function inRequestOrder<T extends { id: string }>(resourceType: string, ids: readonly string[], found: readonly T[]): T[] {
  const byId = new Map(found.map((row) => [row.id, row]));
  const missing = [...new Set(ids.filter((id) => !byId.has(id)))];
  if (missing.length > 0) {
    throw new ServiceError(GrpcStatus.NOT_FOUND, `${missing.length === 1 ? resourceType : `${resourceType}s`} not found: ${missing.join(", ")}`, {
      reason: "NOT_FOUND",
      resource: { type: resourceType, id: missing[0]! },
      metadata: { [MISSING_IDS_KEY]: missing.join(",") },
    });
  }
  return ids.map((id) => byId.get(id)!);
}

/**
 * Looks up any number of ids through a batch get RPC taking at most `batchSize` of them: the rows
 * found, and the ids the RPC named as missing. The RPC is all or nothing, so a refusal naming some
 * ids is followed by one call for the others. Any other failure is thrown.
 */
export async function batchLookUp<T>(
  ids: readonly string[],
  batchSize: number,
  batchGet: (ids: string[]) => Promise<T[]>,
): Promise<{ found: T[]; missing: string[] }> {
  async function lookUp(batch: string[]): Promise<{ found: T[]; missing: string[] }> {
    try {
      return { found: await batchGet(batch), missing: [] };
    } catch (error) {
      const named = namedMissing(error);
      const rest = batch.filter((id) => !named.includes(id));
      return { found: rest.length > 0 ? (await lookUp(rest)).found : [], missing: named };
    }
  }
  const found: T[] = [];
  const missing: string[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const answer = await lookUp(ids.slice(start, start + batchSize));
    found.push(...answer.found);
    missing.push(...answer.missing);
  }
  return { found, missing };
}

/**
 * The ids among `ids` a batch get RPC (at most `batchSize` ids a call) names as missing, for a
 * caller that needs no rows: one call per batch, since a refusal names every missing id of it.
 */
export async function missingIds(ids: readonly string[], batchSize: number, batchGet: (ids: string[]) => Promise<unknown>): Promise<string[]> {
  const missing: string[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    try {
      await batchGet(ids.slice(start, start + batchSize));
    } catch (error) {
      missing.push(...namedMissing(error));
    }
  }
  return missing;
}

/** The ids a batch get's NOT_FOUND names; any other failure (a NOT_FOUND naming none included) is thrown. */
function namedMissing(error: unknown): string[] {
  const named = error instanceof ServiceError && error.code === GrpcStatus.NOT_FOUND ? (error.metadata[MISSING_IDS_KEY] ?? "").split(",").filter(Boolean) : [];
  if (named.length === 0) throw error;
  return named;
}
