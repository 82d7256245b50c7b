// The servers of `npm run bench:customers` (see bench/README.md), each in a process of its own as
// each runs in a deployment, forked by bench/customers.bench.ts: Tags with Custom Properties (the
// Customers service's two dependencies), the Customers service, and the gateway in front of all three.
import { newObjectId } from "@velaflows/kit";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startCustomers } from "@velaflows/customers";
import { main as startGateway } from "@velaflows/gateway";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { serveBenchProcess } from "../lib/bench-process";

// Never refused during a run, yet counted on every request: the rate-limit steps stay in the pipeline.
const UNREACHABLE_RATE_LIMIT = "100000000/15s";

/** What one process is asked to start. */
export type CustomersBenchServer =
  | { role: "dependencies"; databaseUrl: string }
  | { role: "customers"; databaseUrl: string; poolSize: number; tagsAddress: string; customPropertiesAddress: string; importBatchRows?: number }
  | { role: "gateway"; addresses: Record<string, string>; workspaceIds: string[] };

/** What it answers once listening. */
export type CustomersBenchStarted =
  | { role: "dependencies"; tagsAddress: string; customPropertiesAddress: string }
  | { role: "customers"; grpcAddress: string }
  | { role: "gateway"; url: string; tokens: Record<string, string> };

serveBenchProcess<CustomersBenchServer, CustomersBenchStarted>(async (server) => {
  switch (server.role) {
    case "dependencies": {
      const env = { DATABASE_URL: server.databaseUrl, LOG_LEVEL: "silent" };
      const tags = await startTestService("tags", startTags, env);
      const properties = await startTestService("custom-properties", startCustomProperties, env);
      return {
        started: { role: "dependencies", tagsAddress: tags.grpcAddress, customPropertiesAddress: properties.grpcAddress },
        stop: async () => {
          await properties.stop();
          await tags.stop();
        },
      };
    }
    case "customers": {
      const service = await startTestService("customers", startCustomers, {
        DATABASE_URL: server.databaseUrl,
        DATABASE_POOL_SIZE: String(server.poolSize),
        LOG_LEVEL: "silent",
        TAGS_ADDR: server.tagsAddress,
        CUSTOM_PROPERTIES_ADDR: server.customPropertiesAddress,
        CUSTOMERS_JOB_POLL_MS: "50",
        ...(server.importBatchRows ? { CUSTOMERS_IMPORT_BATCH_ROWS: String(server.importBatchRows) } : {}),
      });
      return { started: { role: "customers", grpcAddress: service.grpcAddress }, stop: () => service.stop() };
    }
    case "gateway": {
      // The gateway through its own main(), with its whole pipeline: only the budgets are raised
      // (its body limit stays the default: the import method declares its own).
      const upstreams = Object.fromEntries(Object.entries(server.addresses).map(([name, address]) => [`${name.toUpperCase().replace(/-/g, "_")}_ADDR`, address]));
      const gateway = await startGateway({
        ...process.env,
        ...upstreams,
        HOST: "127.0.0.1",
        GATEWAY_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        GATEWAY_DEV_IDENTITY: "true",
        LOG_LEVEL: "silent",
        MAX_UPSTREAM_TIMEOUT_MS: "120000",
        RATE_LIMIT_GENERAL: UNREACHABLE_RATE_LIMIT,
        RATE_LIMIT_IP: UNREACHABLE_RATE_LIMIT,
      });
      if (!gateway.devIdentity) throw new Error("the gateway started without its development identity");
      // A real client's credentials: an owner's access token for each workspace.
      const userId = newObjectId();
      const tokens: Record<string, string> = {};
      for (const workspaceId of server.workspaceIds) tokens[workspaceId] = await gateway.devIdentity.mintToken({ userId, workspaceId });
      return { started: { role: "gateway", url: gateway.url, tokens }, stop: () => gateway.stop() };
    }
  }
});
