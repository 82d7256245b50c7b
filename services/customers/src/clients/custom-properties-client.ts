import { createServiceClient } from "@velaflows/kit";
import { CustomPropertiesInternalServiceClient, ValidatePropertyValuesRequest } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { PropertiesPort } from "../domain/dependencies";
import { inWorkspace } from "./tags-client";

/** The Custom Properties service over gRPC (CUSTOM_PROPERTIES_ADDR). */
export function createPropertiesPort(address: string): PropertiesPort & { close(): void } {
  const { call, close } = createServiceClient(CustomPropertiesInternalServiceClient, address);
  return {
    async validate(workspaceId, values, partial) {
      const response = await call.validatePropertyValues(ValidatePropertyValuesRequest.fromPartial({ entityType: "customer", values, partial }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.values ?? {};
    },
    close,
  };
}
