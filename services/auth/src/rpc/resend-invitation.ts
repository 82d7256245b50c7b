import type { AuthDeps } from "../domain/deps";
import { resendInvitation } from "../domain/invitations";
import { toInvitationProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { InvitationsHandlers } from "./handlers";

export function resendInvitationHandler(deps: AuthDeps): InvitationsHandlers["resendInvitation"] {
  return async (request, context) => {
    const { invitation, roleName } = await resendInvitation(deps, callerOf(context), request.id);
    return { invitation: toInvitationProto(invitation, roleName) };
  };
}
