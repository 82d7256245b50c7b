import type { AuthDeps } from "../domain/deps";
import { listInvitations } from "../domain/invitations";
import type { InvitationStatus } from "../persistence/invitations.repository";
import { toInvitationProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { InvitationsHandlers } from "./handlers";

export function listInvitationsHandler(deps: AuthDeps): InvitationsHandlers["listInvitations"] {
  return async (request, context) => {
    const status = (request.status || undefined) as InvitationStatus | undefined; // one of the proto's `in` values
    const page = await listInvitations(deps, callerOf(context), status, request);
    return { items: page.items.map((view) => toInvitationProto(view.invitation, view.roleName)), pagination: page.pagination };
  };
}
