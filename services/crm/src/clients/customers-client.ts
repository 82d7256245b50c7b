import { status as GrpcStatus } from "@grpc/grpc-js";
import { createServiceClient, inWorkspace, isObjectId, missingIds, ServiceError } from "@velaflows/kit";
import { BatchGetCustomersRequest, CreateCustomerRequest, CustomersServiceClient, GetCustomerRequest } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { CustomerSnapshot, CustomersPort } from "../domain/dependencies";

// BatchGetCustomers takes at most this many ids.
const BATCH_SIZE = 100;

/** The Customers service over gRPC (CUSTOMERS_ADDR). */
export function createCustomersPort(address: string): CustomersPort & { close(): void } {
  const { call, close } = createServiceClient(CustomersServiceClient, address);
  async function getCustomer(workspaceId: string, id: string): Promise<CustomerSnapshot | undefined> {
    try {
      const { customer } = await call.getCustomer(GetCustomerRequest.fromPartial({ id }), { metadata: inWorkspace(workspaceId) });
      if (!customer) return undefined;
      return {
        id: customer.id,
        firstName: customer.firstName,
        lastName: customer.lastName,
        email: customer.primaryEmail,
        phone: customer.primaryPhone,
        company: customer.company,
        country: customer.country,
        ownerId: customer.ownerId,
      };
    } catch (error) {
      if (error instanceof ServiceError && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw error;
    }
  }

  return {
    getCustomer,
    async unknownCustomers(workspaceId, customerIds) {
      const distinct = [...new Set(customerIds)];
      const unknown = new Set(distinct.filter((id) => !isObjectId(id)));
      const checkable = distinct.filter((id) => !unknown.has(id));
      const missing = await missingIds(checkable, BATCH_SIZE, (ids) => call.batchGetCustomers(BatchGetCustomersRequest.fromPartial({ ids }), { metadata: inWorkspace(workspaceId) }));
      missing.forEach((id) => unknown.add(id));
      return unknown;
    },
    async createCustomer(workspaceId, actor, input) {
      const request = CreateCustomerRequest.fromPartial({
        firstName: input.firstName,
        lastName: input.lastName,
        emails: input.email ? [{ address: input.email, primary: true }] : [],
        phones: input.phone ? [{ number: input.phone, primary: true }] : [],
        company: input.company,
        country: input.country,
        ownerId: input.ownerId,
        source: input.source,
      });
      try {
        const { customer } = await call.createCustomer(request, { metadata: inWorkspace(workspaceId, actor) });
        return { id: customer!.id, created: true };
      } catch (error) {
        // The e-mail or phone belongs to a customer already: that customer is the lead's.
        if (error instanceof ServiceError && error.code === GrpcStatus.ALREADY_EXISTS && error.resource?.type === "Customer") {
          return { id: error.resource.id, created: false };
        }
        throw error;
      }
    },
    close,
  };
}
