// Shared by this service's spec files: the CRM service started through its own main(), with the
// real Tags and Custom Properties services it calls, and clients whose calls are made in a given
// workspace (CRM calls on the client itself; `tags` and `properties` to set up a workspace's data).
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { createServiceClient, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as crmProto from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import * as propertiesProto from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { main as startTags } from "@velaflows/tags";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type CrmClient = PartialClient<crmProto.CrmServiceClient> & {
  workspaceId: string;
  tags: PartialClient<tagsProto.TagsServiceClient>;
  properties: PartialClient<propertiesProto.CustomPropertiesServiceClient>;
};

/** The services the CRM calls for tags and custom property values. */
export interface CrmUpstreams {
  tags: RunningService;
  properties: RunningService;
}

export interface CrmHarness {
  service: RunningService;
  /** A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given. */
  workspace(workspaceId?: string, userId?: string): CrmClient;
  raw: PromiseClient<crmProto.CrmServiceClient>;
  stop(): Promise<void>;
}

/** Tags and Custom Properties, and the addresses to give the CRM service for them. */
export async function startCrmUpstreams(): Promise<CrmUpstreams & { env: NodeJS.ProcessEnv; stop(): Promise<void> }> {
  const tags = await startTestService("tags", startTags);
  const properties = await startTestService("custom-properties", startCustomProperties);
  return {
    tags,
    properties,
    env: { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress },
    async stop() {
      await properties.stop();
      await tags.stop();
    },
  };
}

export async function startCrmHarness(): Promise<CrmHarness> {
  const upstreams = await startCrmUpstreams();
  const harness = await createCrmHarnessOn(await startTestService("crm", main, upstreams.env), upstreams);
  return {
    ...harness,
    async stop() {
      await harness.stop();
      await upstreams.stop();
    },
  };
}

/** The harness around a CRM service already started (e.g. with another CUSTOMERS_ADDR) against `upstreams`, which it does not stop. */
export async function createCrmHarnessOn(service: RunningService, upstreams: CrmUpstreams): Promise<CrmHarness> {
  const { call, close } = createServiceClient(crmProto.CrmServiceClient, service.grpcAddress);
  const tags = createServiceClient(tagsProto.TagsServiceClient, upstreams.tags.grpcAddress);
  const properties = createServiceClient(propertiesProto.CustomPropertiesServiceClient, upstreams.properties.grpcAddress);
  return {
    service,
    raw: call,
    workspace: (workspaceId = newWorkspaceId(), userId) => {
      const metadata = workspaceMetadata(workspaceId, userId);
      return {
        ...partialClient(call, crmProto.CrmServiceService, crmProto, metadata),
        workspaceId,
        tags: partialClient(tags.call, tagsProto.TagsServiceService, tagsProto, metadata),
        properties: partialClient(properties.call, propertiesProto.CustomPropertiesServiceService, propertiesProto, metadata),
      };
    },
    async stop() {
      close();
      tags.close();
      properties.close();
      await service.stop();
    },
  };
}

/** Tags for leads in the client's workspace, by name; answers their ids in order. */
export async function leadTags(client: CrmClient, ...names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) ids.push((await client.tags.createTag({ name, entityTypes: ["lead"] })).tag!.id);
  return ids;
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

/** Lead custom properties in the client's workspace: key → type ("text", "number", "boolean", ...). */
export async function leadProperties(client: CrmClient, types: Record<string, string>): Promise<void> {
  for (const [key, type] of Object.entries(types)) await client.properties.createProperty({ entityType: "lead", key, label: key, type });
}
