import { createEntityDefinitionsCache, createServiceClient, inWorkspace, type EntityDefinitionsCache } from "@velaflows/kit";
import {
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
    definitions: (workspaceId) => cache.get(workspaceId, "customer"),
    // Kept current by main.ts (followPropertyDefinitionEvents).
    definitionsCache: cache,
    close,
  };
}
