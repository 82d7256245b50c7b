// Shared by this service's spec files: the Custom Properties service started through its own
// main(), and clients whose calls are made in a given workspace.
import { createServiceClient, type RunningService } from "@velaflows/kit";
import * as proto from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

/** Both services of this one, as a caller in one workspace sees them. */
export type PropertiesClient = PartialClient<proto.CustomPropertiesServiceClient> &
  PartialClient<proto.CustomPropertiesInternalServiceClient> & { workspaceId: string };

export interface PropertiesHarness {
  service: RunningService;
  /** A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given. */
  workspace(workspaceId?: string, userId?: string): PropertiesClient;
  stop(): Promise<void>;
}

export async function startPropertiesHarness(): Promise<PropertiesHarness> {
  const service = await startTestService("custom-properties", main);
  const publicClient = createServiceClient(proto.CustomPropertiesServiceClient, service.grpcAddress);
  const internalClient = createServiceClient(proto.CustomPropertiesInternalServiceClient, service.grpcAddress);
  return {
    service,
    workspace: (workspaceId = newWorkspaceId(), userId) => {
      const metadata = workspaceMetadata(workspaceId, userId);
      return {
        ...partialClient(publicClient.call, proto.CustomPropertiesServiceService, proto, metadata),
        ...partialClient(internalClient.call, proto.CustomPropertiesInternalServiceService, proto, metadata),
        workspaceId,
      };
    },
    async stop() {
      publicClient.close();
      internalClient.close();
      await service.stop();
    },
  };
}
