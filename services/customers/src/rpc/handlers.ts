import type { CallContext, UnaryHandlers } from "@velaflows/kit";
import type { CustomersServiceService } from "@velaflows/proto/ts/velaflows/customers/v1/customers";

/** The handler type of each CustomersService RPC, keyed by method. */
export type CustomersHandlers = UnaryHandlers<typeof CustomersServiceService>;

/** Who is acting: the user, else the API token, when known (recorded as created_by, merged_by). */
export function actorOf(context: CallContext): string | null {
  return context.userId ?? context.apiTokenId ?? null;
}
