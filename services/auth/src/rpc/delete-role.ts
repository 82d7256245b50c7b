import type { AuthDeps } from "../domain/deps";
import { deleteRole } from "../domain/roles";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function deleteRoleHandler(deps: AuthDeps): RolesHandlers["deleteRole"] {
  return async (request, context) => {
    await deleteRole(deps, callerOf(context), request.id);
    return {};
  };
}
