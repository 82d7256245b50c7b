import type { AuthDeps } from "../domain/deps";
import { acceptInvitation } from "../domain/invitations";
import { toMemberProto } from "../persistence/member.mapper";
import { toUserProto } from "../persistence/user.mapper";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callOrigin } from "./call";
import type { InvitationsHandlers } from "./handlers";

export function acceptInvitationHandler(deps: AuthDeps): InvitationsHandlers["acceptInvitation"] {
  return async (request, context) => {
    const accepted = await acceptInvitation(deps, request.token, { name: request.name, password: request.password }, callOrigin(context));
    return {
      workspace: toWorkspaceProto(accepted.workspace),
      member: toMemberProto(accepted.member),
      user: toUserProto(accepted.user),
      accountCreated: accepted.accountCreated,
      accessToken: accepted.tokens?.accessToken ?? "",
      refreshToken: accepted.tokens?.refreshToken ?? "",
      expiresIn: accepted.tokens?.expiresIn ?? 0,
      tokenType: accepted.tokens?.tokenType ?? "",
    };
  };
}
