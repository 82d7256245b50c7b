import { requireWorkspace } from "@velaflows/kit";
import { createProperty } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function createPropertyHandler(store: PropertiesStore): PropertiesHandlers["createProperty"] {
  return async (request, context) => ({
    property: toPropertyProto(await createProperty(store, requireWorkspace(context), { ...request, createdBy: context.userId ?? context.apiTokenId })),
  });
}
