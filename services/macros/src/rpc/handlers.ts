import type { CallContext, UnaryHandlers } from "@velaflows/kit";
import type { MacrosServiceService } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import type { Viewer } from "../persistence/macro.repository";

/** The handler type of each MacrosService RPC, keyed by method. */
export type MacrosHandlers = UnaryHandlers<typeof MacrosServiceService>;

/** Who is calling: the user (x-user-id) sees their personal macros; API tokens see none. */
export function viewerOf(context: CallContext): Viewer {
  return { userId: context.userId };
}
