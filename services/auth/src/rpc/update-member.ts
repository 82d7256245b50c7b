import type { AuthDeps } from "../domain/deps";
import { changeMemberRole } from "../domain/members";
import { toMemberProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { MembersHandlers } from "./handlers";

export function updateMemberHandler(deps: AuthDeps): MembersHandlers["updateMember"] {
  return async (request, context) => ({ member: toMemberProto(await changeMemberRole(deps, callerOf(context), request.userId, request.roleId)) });
}
