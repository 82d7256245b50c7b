import type { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";

/** What this service asks of the Tags service. */
export interface TagsPort {
  /** Makes `tagIds` exactly the tags of the customer; returns them (ids). Unknown tags: NOT_FOUND. */
  setCustomerTags(workspaceId: string, customerId: string, tagIds: readonly string[]): Promise<string[]>;
}

/** What this service asks of the Custom Properties service. */
export interface PropertiesPort {
  /**
   * Validates and normalises custom property values of a customer write. Invalid values fail with
   * INVALID_ARGUMENT and violations `customProperties.<key>`. In a partial check, null values stay
   * null (meaning "remove the key").
   */
  validate(workspaceId: string, values: Record<string, unknown>, partial: boolean): Promise<Record<string, unknown>>;
  /** The customer property definitions of the workspace (active and inactive), cached. */
  definitions(workspaceId: string): Promise<readonly Property[]>;
}

export interface CustomerDependencies {
  tags: TagsPort;
  properties: PropertiesPort;
}
