import { requireWorkspace } from "@velaflows/kit";
import { getPropertyByKey } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function getPropertyByKeyHandler(store: PropertiesStore): PropertiesHandlers["getPropertyByKey"] {
  return async (request, context) => ({
    property: toPropertyProto(await getPropertyByKey(store, requireWorkspace(context), request.entityType, request.key)),
  });
}
