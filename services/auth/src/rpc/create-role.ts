import type { AuthDeps } from "../domain/deps";
import { createRole } from "../domain/roles";
import { toRoleProto } from "../persistence/role.mapper";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function createRoleHandler(deps: AuthDeps): RolesHandlers["createRole"] {
  return async (request, context) => {
    const view = await createRole(deps, callerOf(context), request);
    return { role: toRoleProto(view.role, view.permissions, view.memberCount) };
  };
}
