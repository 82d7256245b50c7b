import type { UnaryHandlers } from "@velaflows/kit";
import type { ApiTokensServiceService } from "@velaflows/proto/ts/velaflows/api_tokens/v1/api_tokens";

/** The handler type of each ApiTokensService RPC, keyed by method. */
export type ApiTokensHandlers = UnaryHandlers<typeof ApiTokensServiceService>;
