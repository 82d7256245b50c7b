import type { AuthDeps } from "../domain/deps";
import { getMember } from "../domain/members";
import { toMemberProto } from "../persistence/member.mapper";
import { callerOf } from "./call";
import type { MembersHandlers } from "./handlers";

export function getMemberHandler(deps: AuthDeps): MembersHandlers["getMember"] {
  return async (request, context) => ({ member: toMemberProto(await getMember(deps, callerOf(context), request.userId)) });
}
