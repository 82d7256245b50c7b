import type { AuthDeps } from "../domain/deps";
import { revokeInvitation } from "../domain/invitations";
import { toInvitationProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { InvitationsHandlers } from "./handlers";

export function revokeInvitationHandler(deps: AuthDeps): InvitationsHandlers["revokeInvitation"] {
  return async (request, context) => {
    const { invitation, roleName } = await revokeInvitation(deps, callerOf(context), request.id);
    return { invitation: toInvitationProto(invitation, roleName) };
  };
}
