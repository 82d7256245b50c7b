import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import { batchGetCustomers } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";
import type { CustomersHandlers } from "./handlers";

export function batchGetCustomersHandler(store: CustomersStore): CustomersHandlers["batchGetCustomers"] {
  return async (request, context) => ({ customers: (await batchGetCustomers(store, requireWorkspace(context), request.ids)).map(toCustomerProto) });
}
