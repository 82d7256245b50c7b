import { requireWorkspace } from "@velaflows/kit";
import { validateValuesBatch } from "../domain/properties";
import type { PropertiesStore } from "../persistence/properties-store";
import type { InternalHandlers } from "./handlers";

export function batchValidatePropertyValuesHandler(store: PropertiesStore): InternalHandlers["batchValidatePropertyValues"] {
  return async (request, context) => {
    const results = await validateValuesBatch(store, requireWorkspace(context), request.entityType, request.items, {
      partial: request.partial,
      pathPrefix: "customProperties",
    });
    return {
      results: results.map((r) => (r.valid ? { valid: true, values: r.values, violations: [] } : { valid: false, values: undefined, violations: r.violations })),
    };
  };
}
