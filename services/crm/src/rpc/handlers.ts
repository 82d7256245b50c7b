import type { UnaryHandlers } from "@velaflows/kit";
import type { CrmServiceService } from "@velaflows/proto/ts/velaflows/crm/v1/crm";

/** The handler type of each CrmService RPC, keyed by method. */
export type CrmHandlers = UnaryHandlers<typeof CrmServiceService>;
