import { requireWorkspace } from "@velaflows/kit";
import { validateValues } from "../domain/properties";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

// The public check names violations after its own request field (`values.<key>`).
export function validateValuesHandler(store: PropertiesStore): PropertiesHandlers["validateValues"] {
  return async (request, context) => ({
    values: await validateValues(store, requireWorkspace(context), request.entityType, request.values ?? {}, { partial: request.partial, pathPrefix: "values" }),
  });
}
