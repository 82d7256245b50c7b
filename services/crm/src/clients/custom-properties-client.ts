import { createServiceClient, inWorkspace } from "@velaflows/kit";
import {
  BatchValidatePropertyValuesRequest,
  CustomPropertiesInternalServiceClient,
  ValidatePropertyValuesRequest,
} from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { PropertiesPort } from "../domain/dependencies";

/** The Custom Properties service over gRPC (CUSTOM_PROPERTIES_ADDR), for entity type "lead". */
export function createPropertiesPort(address: string): PropertiesPort & { close(): void } {
  const { call, close } = createServiceClient(CustomPropertiesInternalServiceClient, address);
  return {
    async validate(workspaceId, values, partial) {
      const response = await call.validatePropertyValues(ValidatePropertyValuesRequest.fromPartial({ entityType: "lead", values, partial }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.values ?? {};
    },
    async validateMany(workspaceId, items) {
      const response = await call.batchValidatePropertyValues(BatchValidatePropertyValuesRequest.fromPartial({ entityType: "lead", items: [...items], partial: false }), {
        metadata: inWorkspace(workspaceId),
      });
      return response.results.map((result) =>
        result.valid ? { valid: true as const, values: result.values ?? {} } : { valid: false as const, violations: result.violations.map((v) => ({ path: v.path, message: v.message })) },
      );
    },
    close,
  };
}
