import type { UnaryHandlers } from "@velaflows/kit";
import type { TagsServiceService } from "@velaflows/proto/ts/velaflows/tags/v1/tags";

/** The handler type of each TagsService RPC, keyed by method. */
export type TagsHandlers = UnaryHandlers<typeof TagsServiceService>;
