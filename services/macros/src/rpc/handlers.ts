import { grants, type CallContext, type UnaryHandlers } from "@velaflows/kit";
import type { MacrosServiceService } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import type { Viewer } from "../persistence/macro.repository";

/** The handler type of each MacrosService RPC, keyed by method. */
export type MacrosHandlers = UnaryHandlers<typeof MacrosServiceService>;

/**
 * Who is calling: the user (x-user-id) sees their personal macros, the macros of their teams
 * (x-team-ids, which the gateway resolves with the membership), and with macros:manage those of
 * every team.
 */
export function viewerOf(context: CallContext): Viewer {
  return { userId: context.userId, teamIds: context.teamIds, allTeams: grants(context.permissions, "macros:manage") };
}
