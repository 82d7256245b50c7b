import type { AuthDeps } from "../domain/deps";
import { createInvitation } from "../domain/invitations";
import { toInvitationProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { InvitationsHandlers } from "./handlers";

export function createInvitationHandler(deps: AuthDeps): InvitationsHandlers["createInvitation"] {
  return async (request, context) => {
    const { invitation, roleName } = await createInvitation(deps, callerOf(context), request.email, request.roleId);
    return { invitation: toInvitationProto(invitation, roleName) };
  };
}
