import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError, type FieldViolation, ALL_PERMISSIONS, grants } from "@velaflows/kit";
import type { ScopeCatalog } from "./scope-catalog";

/** Trims and NFC-normalises a token name; a name blank once trimmed is a violation at `path`. */
export function cleanTokenName(name: string, path: string, violations: FieldViolation[]): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) violations.push({ path, message: "is required" });
  return cleaned;
}

/**
 * Checks each scope against the catalog (violations named by `pathOf(index)`) and returns the
 * set without duplicates, sorted; a set holding "*" is just ["*"], which already grants the rest.
 */
export function cleanScopes(catalog: ScopeCatalog, scopes: readonly string[], pathOf: (index: number) => string, violations: FieldViolation[]): string[] {
  scopes.forEach((scope, index) => {
    if (!catalog.has(scope)) violations.push({ path: pathOf(index), message: `"${scope}" is not a scope of the platform; see GET /api/v1/api-tokens/scopes` });
  });
  if (scopes.includes(ALL_PERMISSIONS)) return [ALL_PERMISSIONS];
  return [...new Set(scopes)].sort();
}

/**
 * Refuses, naming the first scope the caller lacks, unless the caller's permissions (from the
 * gateway's `x-permissions`) grant every scope: nobody can mint a token that does more than they
 * may. `action` completes "You cannot … the "x" scope".
 */
export function assertCallerHolds(held: readonly string[], scopes: readonly string[], action: string): void {
  const missing = scopes.find((scope) => !grants(held, scope));
  if (missing === undefined) return;
  throw new ServiceError(GrpcStatus.PERMISSION_DENIED, `You cannot ${action} the "${missing}" scope: you do not hold that permission`, {
    reason: "SCOPE_NOT_HELD",
    metadata: { scope: missing },
  });
}
