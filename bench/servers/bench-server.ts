// The servers of `npm run bench:gateway` (see bench/README.md), each in a process of its own as each
// runs in a deployment (its own pod), forked by bench/gateway.bench.ts: the Tags service, the
// gateway, or the express baseline.
import { createServiceClient, newObjectId } from "@velaflows/kit";
import { main as startGateway } from "@velaflows/gateway";
import { startTestService } from "@velaflows/testing";
import { main as startTags } from "@velaflows/tags";
import { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { serveBenchProcess } from "../lib/bench-process";
import { startExpressTags } from "../lib/express-tags";

// Never refused during a run, yet counted on every request: the rate-limit steps stay in the pipeline.
const UNREACHABLE_RATE_LIMIT = "100000000/15s";

/** What one process is asked to start. */
export type GatewayBenchServer =
  | { role: "tags"; databaseUrl: string; poolSize: number }
  | { role: "gateway"; tagsAddress: string; workspaceId: string }
  | { role: "express"; tagsAddress: string };

/** What it answers once listening. */
export type GatewayBenchStarted =
  | { role: "tags"; grpcAddress: string }
  | { role: "gateway"; url: string; token: string }
  | { role: "express"; url: string };

serveBenchProcess<GatewayBenchServer, GatewayBenchStarted>(async (server) => {
  switch (server.role) {
    case "tags": {
      const service = await startTestService("tags", startTags, {
        DATABASE_URL: server.databaseUrl,
        DATABASE_POOL_SIZE: String(server.poolSize),
        LOG_LEVEL: "silent",
      });
      return { started: { role: "tags", grpcAddress: service.grpcAddress }, stop: () => service.stop() };
    }
    case "gateway": {
      // The gateway through its own main(), with its whole pipeline: only the budgets are raised.
      const gateway = await startGateway({
        ...process.env,
        HOST: "127.0.0.1",
        GATEWAY_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        TAGS_ADDR: server.tagsAddress,
        GATEWAY_DEV_IDENTITY: "true",
        LOG_LEVEL: "silent",
        RATE_LIMIT_GENERAL: UNREACHABLE_RATE_LIMIT,
        RATE_LIMIT_IP: UNREACHABLE_RATE_LIMIT,
      });
      if (!gateway.devIdentity) throw new Error("the gateway started without its development identity");
      // A real client's credentials: an owner's access token for the workspace.
      const token = await gateway.devIdentity.mintToken({ userId: newObjectId(), workspaceId: server.workspaceId });
      return { started: { role: "gateway", url: gateway.url, token }, stop: () => gateway.stop() };
    }
    case "express": {
      const client = createServiceClient(TagsServiceClient, server.tagsAddress);
      const express = await startExpressTags(client.call);
      return {
        started: { role: "express", url: express.url },
        stop: async () => {
          await express.stop();
          client.close();
        },
      };
    }
  }
});
