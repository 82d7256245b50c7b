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

export interface CrmDependencies {
  customers: CustomersPort;
}
