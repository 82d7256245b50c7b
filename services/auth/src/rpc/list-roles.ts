import type { AuthDeps } from "../domain/deps";
import { listRoles } from "../domain/roles";
import { toRoleProto } from "../persistence/role.mapper";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function listRolesHandler(deps: AuthDeps): RolesHandlers["listRoles"] {
  return async (_request, context) => ({
    items: (await listRoles(deps, callerOf(context))).map((view) => toRoleProto(view.role, view.permissions, view.memberCount)),
  });
}
