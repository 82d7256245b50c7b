import { requireWorkspace } from "@velaflows/kit";
import { setPropertyActive } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function deactivatePropertyHandler(store: PropertiesStore): PropertiesHandlers["deactivateProperty"] {
  return async (request, context) => ({ property: toPropertyProto(await setPropertyActive(store, requireWorkspace(context), request.id, false)) });
}
