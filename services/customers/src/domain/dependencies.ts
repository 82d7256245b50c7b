import type { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";

/** What this service asks of the Tags service. */
export interface TagsPort {
  /** Makes `tagIds` exactly the tags of the customer; returns them (ids). Unknown tags: NOT_FOUND. */
  setCustomerTags(workspaceId: string, customerId: string, tagIds: readonly string[]): Promise<string[]>;
  /**
   * Attaches every tag to every customer in one call (imports: customers created with the same
   * tags). All or nothing: an unknown tag fails the whole call (NOT_FOUND).
   */
  attachToCustomers(workspaceId: string, tagIds: readonly string[], customerIds: readonly string[]): Promise<void>;
  /** The customer's tags as the Tags service has them now (ids, sorted). */
  customerTags(workspaceId: string, customerId: string): Promise<string[]>;
}

/** The check of one set of values in a batch: normalised values, or the violations. */
export type ValuesCheck = { valid: true; values: Record<string, unknown> } | { valid: false; violations: { path: string; message: string }[] };

/** The most sets of values one BatchValidatePropertyValues call takes. */
export const MAX_VALIDATE_BATCH = 1000;

/** The most tags, and the most entities, one BulkAttachTags call takes. */
export const MAX_BULK_ATTACH = 100;

/** What this service asks of the Custom Properties service. */
export interface PropertiesPort {
  /**
   * Validates and normalises custom property values of a customer write. Invalid values fail with
   * INVALID_ARGUMENT and violations `customProperties.<key>`. In a partial check, null values stay
   * null (meaning "remove the key").
   */
  validate(workspaceId: string, values: Record<string, unknown>, partial: boolean): Promise<Record<string, unknown>>;
  /** {@link validate} for many sets of values in one call (at most {@link MAX_VALIDATE_BATCH}), each checked on its own. */
  validateMany(workspaceId: string, items: readonly Record<string, unknown>[], partial: boolean): Promise<ValuesCheck[]>;
  /** The customer property definitions of the workspace (active and inactive), cached. */
  definitions(workspaceId: string): Promise<readonly Property[]>;
}

export interface CustomerDependencies {
  tags: TagsPort;
  properties: PropertiesPort;
}
