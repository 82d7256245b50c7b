import { requireWorkspace } from "@velaflows/kit";
import { deleteProperty } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function deletePropertyHandler(store: PropertiesStore): PropertiesHandlers["deleteProperty"] {
  return async (request, context) => ({ property: toPropertyProto(await deleteProperty(store, requireWorkspace(context), request.id, request.confirm)) });
}
