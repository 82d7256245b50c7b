import { requireWorkspace } from "@velaflows/kit";
import { listEntityTypes } from "../domain/properties";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function listEntityTypesHandler(store: PropertiesStore): PropertiesHandlers["listEntityTypes"] {
  return async (_request, context) => ({ items: await listEntityTypes(store, requireWorkspace(context)) });
}
