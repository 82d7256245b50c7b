import { ServiceError, ValidationError, type FieldViolation } from "@velaflows/kit";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { CrmDependencies } from "./dependencies";

// These checks call other services, so callers make them before opening a transaction: a
// transaction held across an RPC would block the database (on PGlite, every other connection).

/** Violations `<path>[i]` for each tag id that is not a tag of the workspace applying to leads. */
export async function tagViolations(deps: Pick<CrmDependencies, "tags">, workspaceId: string, tagIds: readonly string[], path: string): Promise<FieldViolation[]> {
  if (tagIds.length === 0) return [];
  const unknown = await deps.tags.unknownTags(workspaceId, tagIds);
  return tagIds.flatMap((id, i) => (unknown.has(id) ? [{ path: `${path}[${i}]`, message: `no tag ${id} for leads in this workspace` }] : []));
}

/** A violation at `path` when `customerId` is not a customer of the workspace (Customers service). */
export async function customerViolations(deps: Pick<CrmDependencies, "customers">, workspaceId: string, customerId: string, path: string): Promise<FieldViolation[]> {
  if (!customerId) return [];
  const unknown = await deps.customers.unknownCustomers(workspaceId, [customerId]);
  return unknown.has(customerId) ? [{ path, message: `no customer ${customerId} in this workspace` }] : [];
}

/**
 * Checks a lead write's customer, tags and custom property values; answers the property values to store
 * (normalised; defaults applied unless `partial`). Refusals are one 422 naming every field at
 * fault, under `prefix` ("lead." for updates).
 */
export async function checkLeadReferences(
  deps: Pick<CrmDependencies, "customers" | "tags" | "properties">,
  workspaceId: string,
  write: { customerId?: string; tagIds?: readonly string[]; customProperties?: Record<string, unknown> },
  options: { partial: boolean; prefix?: string },
): Promise<Record<string, unknown> | undefined> {
  const prefix = options.prefix ?? "";
  const violations = write.customerId ? await customerViolations(deps, workspaceId, write.customerId, `${prefix}customerId`) : [];
  if (write.tagIds) violations.push(...(await tagViolations(deps, workspaceId, write.tagIds, `${prefix}tagIds`)));
  let values: Record<string, unknown> | undefined;
  if (write.customProperties !== undefined) {
    try {
      values = await deps.properties.validate(workspaceId, write.customProperties, options.partial);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== GrpcStatus.INVALID_ARGUMENT || error.violations.length === 0) throw error;
      violations.push(...error.violations.map((v) => ({ path: `${prefix}${v.path}`, message: v.message })));
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return values;
}
