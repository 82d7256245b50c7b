import { requireWorkspace } from "@velaflows/kit";
import { validateValues } from "../domain/properties";
import type { PropertiesStore } from "../persistence/properties-store";
import type { InternalHandlers } from "./handlers";

// Owning services pass the error on unchanged, so violations are named after the entity's field
// (`customProperties.<key>`), not after this request's.
export function validatePropertyValuesHandler(store: PropertiesStore): InternalHandlers["validatePropertyValues"] {
  return async (request, context) => ({
    values: await validateValues(store, requireWorkspace(context), request.entityType, request.values ?? {}, {
      partial: request.partial,
      pathPrefix: "customProperties",
    }),
  });
}
