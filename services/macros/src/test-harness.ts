// Shared by this service's spec files: the Macros service started through its own main(), and
// clients whose calls are made in a given workspace (as a given user, who owns personal macros).
import { createServiceClient, MetadataKeys, type RunningService } from "@velaflows/kit";
import * as proto from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type MacrosClient = PartialClient<proto.MacrosServiceClient> & { workspaceId: string };

export interface MacrosHarness {
  service: RunningService;
  /**
   * A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given, in the
   * teams and with the permissions the gateway would pass on (`x-team-ids`, `x-permissions`).
   */
  workspace(workspaceId?: string, userId?: string, as?: { teamIds?: readonly string[]; permissions?: readonly string[] }): MacrosClient;
  stop(): Promise<void>;
}

export async function startMacrosHarness(): Promise<MacrosHarness> {
  const service = await startTestService("macros", main);
  const { call, close } = createServiceClient(proto.MacrosServiceClient, service.grpcAddress);
  return {
    service,
    workspace: (workspaceId = newWorkspaceId(), userId, as = {}) => {
      const metadata = workspaceMetadata(workspaceId, userId);
      if (as.teamIds?.length) metadata.set(MetadataKeys.teamIds, as.teamIds.join(","));
      if (as.permissions?.length) metadata.set(MetadataKeys.permissions, as.permissions.join(","));
      return { ...partialClient(call, proto.MacrosServiceService, proto, metadata), workspaceId };
    },
    async stop() {
      close();
      await service.stop();
    },
  };
}
