/** A customer as the CRM copies it onto a lead. */
export interface CustomerSnapshot {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  company: string;
  country: string;
  ownerId: string;
}

/** What this service asks of the Customers service. */
export interface CustomersPort {
  /** The customer, or undefined when the workspace has none with this id. */
  getCustomer(workspaceId: string, id: string): Promise<CustomerSnapshot | undefined>;
  /** The ids among `customerIds` that are not customers of the workspace. */
  unknownCustomers(workspaceId: string, customerIds: readonly string[]): Promise<Set<string>>;
  /**
   * Creates a customer; when another customer already holds the e-mail or phone, answers that
   * customer's id instead (created: false).
   */
  createCustomer(
    workspaceId: string,
    actor: string | undefined,
    input: Omit<CustomerSnapshot, "id"> & { source: string },
  ): Promise<{ id: string; created: boolean }>;
}

/** What this service asks of the Tags service. */
export interface TagsPort {
  /** The ids among `tagIds` that are not tags of the workspace applying to leads. */
  unknownTags(workspaceId: string, tagIds: readonly string[]): Promise<Set<string>>;
}

/** One entity's checked custom property values: the values to store, or why they were refused. */
export type PropertiesCheck = { valid: true; values: Record<string, unknown> } | { valid: false; violations: { path: string; message: string }[] };

/** What this service asks of the Custom Properties service (entity type "lead"). */
export interface PropertiesPort {
  /**
   * Validates and normalises the custom property values of a lead write. Invalid values fail with
   * INVALID_ARGUMENT and violations `customProperties.<key>`. In a partial check, null values stay
   * null (meaning "remove the key"); otherwise defaults are applied.
   */
  validate(workspaceId: string, values: Record<string, unknown>, partial: boolean): Promise<Record<string, unknown>>;
  /** The same check for many leads at once (imports), one result per item, in order. */
  validateMany(workspaceId: string, items: readonly Record<string, unknown>[]): Promise<PropertiesCheck[]>;
}

export interface CrmDependencies {
  customers: CustomersPort;
  tags: TagsPort;
  properties: PropertiesPort;
}
