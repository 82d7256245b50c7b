import { requireWorkspace } from "@velaflows/kit";
import { getProperty } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function getPropertyHandler(store: PropertiesStore): PropertiesHandlers["getProperty"] {
  return async (request, context) => ({ property: toPropertyProto(await getProperty(store, requireWorkspace(context), request.id)) });
}
