// Shared by this service's spec files: the CRM service started through its own main(), with the
// real Tags, Custom Properties and Customers services it calls, and clients whose calls are made in
// a given workspace (CRM calls on the client itself; `tags`, `properties` and `customers` to set up
// a workspace's data).
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startCustomers } from "@velaflows/customers";
import { createServiceClient, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as crmProto from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import * as customersProto from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import * as propertiesProto from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { main as startTags } from "@velaflows/tags";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type CrmClient = PartialClient<crmProto.CrmServiceClient> & {
  workspaceId: string;
  tags: PartialClient<tagsProto.TagsServiceClient>;
  properties: PartialClient<propertiesProto.CustomPropertiesServiceClient>;
  /** Only when the harness runs the Customers service (`{ customers: true }`). */
  customers?: PartialClient<customersProto.CustomersServiceClient>;
};

/** The services the CRM calls for tags, custom property values and customers. */
export interface CrmUpstreams {
  tags: RunningService;
  properties: RunningService;
  customers?: RunningService;
}

export interface CrmHarness {
  service: RunningService;
  upstreams: CrmUpstreams;
  /** A client acting in `workspaceId` (a fresh workspace by default), as `userId` when given. */
  workspace(workspaceId?: string, userId?: string): CrmClient;
  raw: PromiseClient<crmProto.CrmServiceClient>;
  stop(): Promise<void>;
}

/**
 * Tags and Custom Properties, and Customers (its job runner off) when asked for (a lead's
 * customerId is checked there), and the addresses to give the CRM service for them.
 */
export async function startCrmUpstreams(options: { customers?: boolean } = {}): Promise<CrmUpstreams & { env: NodeJS.ProcessEnv; stop(): Promise<void> }> {
  const [tags, properties] = await Promise.all([startTestService("tags", startTags), startTestService("custom-properties", startCustomProperties)]);
  const env = { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress };
  const customers = options.customers ? await startTestService("customers", startCustomers, { ...env, CUSTOMERS_JOBS_ENABLED: "false" }) : undefined;
  return {
    tags,
    properties,
    customers,
    env: customers ? { ...env, CUSTOMERS_ADDR: customers.grpcAddress } : env,
    async stop() {
      await customers?.stop();
      await properties.stop();
      await tags.stop();
    },
  };
}

/** Services started one by one on a loaded machine take longer than a test's default timeout: hooks starting them take this. */
export const HARNESS_START_TIMEOUT_MS = 120_000;

export async function startCrmHarness(options: { customers?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CrmHarness> {
  const upstreams = await startCrmUpstreams(options);
  const harness = await createCrmHarnessOn(await startTestService("crm", main, { ...upstreams.env, ...options.env }), upstreams);
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
  const customers = upstreams.customers ? createServiceClient(customersProto.CustomersServiceClient, upstreams.customers.grpcAddress) : undefined;
  return {
    service,
    upstreams,
    raw: call,
    workspace: (workspaceId = newWorkspaceId(), userId) => {
      const metadata = workspaceMetadata(workspaceId, userId);
      return {
        ...partialClient(call, crmProto.CrmServiceService, crmProto, metadata),
        workspaceId,
        tags: partialClient(tags.call, tagsProto.TagsServiceService, tagsProto, metadata),
        properties: partialClient(properties.call, propertiesProto.CustomPropertiesServiceService, propertiesProto, metadata),
        customers: customers && partialClient(customers.call, customersProto.CustomersServiceService, customersProto, metadata),
      };
    },
    async stop() {
      close();
      tags.close();
      properties.close();
      customers?.close();
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

/** A customer in the client's workspace (through the real Customers service); answers its id. */
export async function newCustomer(client: CrmClient, firstName = "Customer"): Promise<string> {
  if (!client.customers) throw new Error("start the harness with { customers: true }");
  return (await client.customers.createCustomer({ firstName })).customer!.id;
}
