// Shared by this service's spec files: the CRM service started through its own main(), and
// clients whose calls are made in a given workspace.
import { createServiceClient, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as crmProto from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type CrmClient = PartialClient<crmProto.CrmServiceClient> & { workspaceId: string };

export interface CrmHarness {
  service: RunningService;
  /** A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given. */
  workspace(workspaceId?: string, userId?: string): CrmClient;
  raw: PromiseClient<crmProto.CrmServiceClient>;
  stop(): Promise<void>;
}

export async function startCrmHarness(): Promise<CrmHarness> {
  return createCrmHarnessOn(await startTestService("crm", main));
}

/** The harness around a CRM service already started (e.g. with another CUSTOMERS_ADDR). */
export async function createCrmHarnessOn(service: RunningService): Promise<CrmHarness> {
  const { call, close } = createServiceClient(crmProto.CrmServiceClient, service.grpcAddress);
  return {
    service,
    raw: call,
    workspace: (workspaceId = newWorkspaceId(), userId) => ({
      ...partialClient(call, crmProto.CrmServiceService, crmProto, workspaceMetadata(workspaceId, userId)),
      workspaceId,
    }),
    async stop() {
      close();
      await service.stop();
    },
  };
}

/** A three-stage pipeline (open, won, lost) for tests that need known stage ids. */
export async function simplePipeline(client: CrmClient, name = "Deals") {
  const { pipeline } = await client.createPipeline({
    name,
    stages: [
      { name: "Open", probability: 20 },
      { name: "Won", probability: 100, isWon: true },
      { name: "Lost", probability: 0, isLost: true },
    ],
  });
  const [open, won, lost] = pipeline!.stages;
  return { pipeline: pipeline!, open: open!, won: won!, lost: lost! };
}
