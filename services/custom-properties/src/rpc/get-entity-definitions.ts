import { requireWorkspace } from "@velaflows/kit";
import { getEntityDefinitions } from "../domain/properties";
import { toPropertyGroupProto, toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { InternalHandlers } from "./handlers";

export function getEntityDefinitionsHandler(store: PropertiesStore): InternalHandlers["getEntityDefinitions"] {
  return async (request, context) => {
    const { properties, groups } = await getEntityDefinitions(store, requireWorkspace(context), request.entityType);
    const counts = new Map<string, number>();
    for (const p of properties) if (p.groupId) counts.set(p.groupId, (counts.get(p.groupId) ?? 0) + 1);
    return { properties: properties.map(toPropertyProto), groups: groups.map((g) => toPropertyGroupProto(g, counts.get(g.id) ?? 0)) };
  };
}
