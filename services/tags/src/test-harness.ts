// Shared by this service's spec files: the Tags service started through its own main(), and
// clients whose calls are made in a given workspace.
import { createServiceClient, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type TagsClient = PartialClient<tagsProto.TagsServiceClient> & { workspaceId: string };

export interface TagsHarness {
  service: RunningService;
  /** A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given. */
  workspace(workspaceId?: string, userId?: string): TagsClient;
  /** The promise client, for calls with hand-made metadata. */
  raw: PromiseClient<tagsProto.TagsServiceClient>;
  stop(): Promise<void>;
}

export async function startTagsHarness(): Promise<TagsHarness> {
  const service = await startTestService("tags", main);
  const { call, close } = createServiceClient(tagsProto.TagsServiceClient, service.grpcAddress);
  return {
    service,
    raw: call,
    workspace: (workspaceId = newWorkspaceId(), userId) => ({
      ...partialClient(call, tagsProto.TagsServiceService, tagsProto, workspaceMetadata(workspaceId, userId)),
      workspaceId,
    }),
    async stop() {
      close();
      await service.stop();
    },
  };
}
