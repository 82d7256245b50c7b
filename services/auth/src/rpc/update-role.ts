import { fieldsToUpdate } from "@velaflows/kit";
import type { AuthDeps } from "../domain/deps";
import { UPDATABLE_ROLE_FIELDS, updateRole } from "../domain/roles";
import { toRoleProto } from "../persistence/role.mapper";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function updateRoleHandler(deps: AuthDeps): RolesHandlers["updateRole"] {
  return async (request, context) => {
    const role = request.role!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_ROLE_FIELDS, (field) => (field === "permissions" ? role.permissions.length > 0 : role[field] !== ""));
    const view = await updateRole(deps, callerOf(context), request.id, fields, role);
    return { role: toRoleProto(view.role, view.permissions, view.memberCount) };
  };
}
