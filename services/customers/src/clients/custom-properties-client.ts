import { createEntityDefinitionsCache, createServiceClient, inWorkspace, type EntityDefinitionsCache } from "@velaflows/kit";
import {
  BatchValidatePropertyValuesRequest,
  CustomPropertiesInternalServiceClient,
  GetEntityDefinitionsRequest,
  ValidatePropertyValuesRequest,
} from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { PropertiesPort } from "../domain/dependencies";

/** The Custom Properties service over gRPC (CUSTOM_PROPERTIES_ADDR), with customer definitions cached. */
export function createPropertiesPort(address: string, cacheOptions: { ttlMs?: number; maxEntries?: number } = {}): PropertiesPort & { definitionsCache: EntityDefinitionsCache; close(): void } {
  const { call, close } = createServiceClient(CustomPropertiesInternalServiceClient, address);
  const cache = createEntityDefinitionsCache({
    ...cacheOptions,
    load: async (workspaceId, entityType) =>
      (await call.getEntityDefinitions(GetEntityDefinitionsRequest.fromPartial({ entityType }), { metadata: inWorkspace(workspaceId) })).properties,
  });
  return {
    async validate(workspaceId, values, partial) {
      const response = await call.validatePropertyValues(ValidatePropertyValuesRequest.fromPartial({ entityType: "customer", values, partial }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.values ?? {};
    },
    async validateMany(workspaceId, items, partial) {
      const response = await call.batchValidatePropertyValues(BatchValidatePropertyValuesRequest.fromPartial({ entityType: "customer", items: [...items], partial }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.results.map((r) => (r.valid ? { valid: true as const, values: r.values ?? {} } : { valid: false as const, violations: r.violations }));
    },
    definitions: (workspaceId) => cache.get(workspaceId, "customer"),
    // Kept current by main.ts (followPropertyDefinitionEvents).
    definitionsCache: cache,
    close,
  };
}
