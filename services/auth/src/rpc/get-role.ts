import type { AuthDeps } from "../domain/deps";
import { getRole } from "../domain/roles";
import { toRoleProto } from "../persistence/role.mapper";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function getRoleHandler(deps: AuthDeps): RolesHandlers["getRole"] {
  return async (request, context) => {
    const view = await getRole(deps, callerOf(context), request.id);
    return { role: toRoleProto(view.role, view.permissions, view.memberCount) };
  };
}
