import { requireWorkspace } from "@velaflows/kit";
import { reorderProperties } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function reorderPropertiesHandler(store: PropertiesStore): PropertiesHandlers["reorderProperties"] {
  return async (request, context) => ({
    items: (await reorderProperties(store, requireWorkspace(context), request.entityType, request.propertyIds)).map(toPropertyProto),
  });
}
