import { requireWorkspace } from "@velaflows/kit";
import { listProperties } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function listPropertiesHandler(store: PropertiesStore): PropertiesHandlers["listProperties"] {
  return async (request, context) => {
    const filter = {
      entityType: request.entityType || undefined,
      groupId: request.groupId || undefined,
      active: request.active === "" ? undefined : request.active === "true",
      type: request.type || undefined,
    };
    const page = await listProperties(store, requireWorkspace(context), filter, request);
    return { items: page.items.map(toPropertyProto), pagination: page.pagination };
  };
}
