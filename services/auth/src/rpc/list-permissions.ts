import { resolveActor } from "../domain/actor";
import type { AuthDeps } from "../domain/deps";
import { permissionCatalog } from "../domain/permission-catalog";
import { callerOf } from "./call";
import type { RolesHandlers } from "./handlers";

export function listPermissionsHandler(deps: AuthDeps): RolesHandlers["listPermissions"] {
  return async (_request, context) => {
    await resolveActor(deps.store.read, callerOf(context));
    return { items: permissionCatalog().map((entry) => ({ ...entry, methods: [...entry.methods] })) };
  };
}
