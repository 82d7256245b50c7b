import type { AuthDeps } from "../domain/deps";
import { listMembers } from "../domain/members";
import { toMemberProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { MembersHandlers } from "./handlers";

export function listMembersHandler(deps: AuthDeps): MembersHandlers["listMembers"] {
  return async (request, context) => {
    const page = await listMembers(deps, callerOf(context), { roleId: request.roleId || undefined }, request);
    return { items: page.items.map(toMemberProto), pagination: page.pagination };
  };
}
