// Shared by this service's spec files: the Customers service started through its own main(), with
// the real Tags and Custom Properties services it calls, and clients acting in one workspace.
import { createServiceClient, type RunningService } from "@velaflows/kit";
import * as customersProto from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import * as propertiesProto from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startTags } from "@velaflows/tags";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

/** What one workspace sees: Customers, plus Tags and Custom Properties to set up its data. */
export interface WorkspaceClients {
  workspaceId: string;
  customers: PartialClient<customersProto.CustomersServiceClient>;
  tags: PartialClient<tagsProto.TagsServiceClient>;
  properties: PartialClient<propertiesProto.CustomPropertiesServiceClient>;
}

export interface CustomersHarness {
  customers: RunningService;
  tags: RunningService;
  properties: RunningService;
  /** A caller acting in `workspaceId` (a fresh workspace by default). */
  workspace(workspaceId?: string, userId?: string): WorkspaceClients;
  /** Another Customers instance on the same database with its own environment (restarts, broken dependencies). */
  startCustomers(env: NodeJS.ProcessEnv): Promise<{ service: RunningService; client(workspaceId: string): PartialClient<customersProto.CustomersServiceClient>; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * Fast job polling and small batches, so tests see jobs progress without waiting. Job runners are
 * off unless a test starts one (`startCustomers({ CUSTOMERS_JOBS_ENABLED: "true" })`): runners
 * claim jobs of every workspace, so only the job tests run them.
 */
export const TEST_JOB_ENV = { CUSTOMERS_JOB_POLL_MS: "20", CUSTOMERS_IMPORT_BATCH_ROWS: "50", CUSTOMERS_EXPORT_BATCH_ROWS: "50", CUSTOMERS_JOBS_ENABLED: "false" };

export async function startCustomersHarness(env: NodeJS.ProcessEnv = {}): Promise<CustomersHarness> {
  const tags = await startTestService("tags", startTags);
  const properties = await startTestService("custom-properties", startCustomProperties);
  const dependencyEnv = { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress };
  const customers = await startTestService("customers", main, { ...dependencyEnv, ...TEST_JOB_ENV, ...env });
  const clients = [
    createServiceClient(customersProto.CustomersServiceClient, customers.grpcAddress),
    createServiceClient(tagsProto.TagsServiceClient, tags.grpcAddress),
    createServiceClient(propertiesProto.CustomPropertiesServiceClient, properties.grpcAddress),
  ] as const;
  return {
    customers,
    tags,
    properties,
    workspace: (workspaceId = newWorkspaceId(), userId) => {
      const metadata = workspaceMetadata(workspaceId, userId);
      return {
        workspaceId,
        customers: partialClient(clients[0].call, customersProto.CustomersServiceService, customersProto, metadata),
        tags: partialClient(clients[1].call, tagsProto.TagsServiceService, tagsProto, metadata),
        properties: partialClient(clients[2].call, propertiesProto.CustomPropertiesServiceService, propertiesProto, metadata),
      };
    },
    async startCustomers(extraEnv) {
      const service = await startTestService("customers", main, { ...dependencyEnv, ...TEST_JOB_ENV, ...extraEnv });
      const { call, close } = createServiceClient(customersProto.CustomersServiceClient, service.grpcAddress);
      return {
        service,
        client: (workspaceId) => partialClient(call, customersProto.CustomersServiceService, customersProto, workspaceMetadata(workspaceId)),
        async stop() {
          close();
          await service.stop();
        },
      };
    },
    async stop() {
      for (const client of clients) client.close();
      await customers.stop();
      await properties.stop();
      await tags.stop();
    },
  };
}

// Moved to the shared test harness; kept here for this service's specs.
export { eventually } from "@velaflows/testing";
