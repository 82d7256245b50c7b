// One server of the gateway benchmark in a process of its own, as each runs in a deployment (its own
// pod): the Tags service, the gateway, or the express baseline. Forked by bench/lib/server-process.ts;
// told what to start over IPC, answers with where it listens, reports its CPU time on request, and
// stops on "stop".
import { createServiceClient, newObjectId } from "@velaflows/kit";
import { main as startGateway } from "@velaflows/gateway";
import { startTestService } from "@velaflows/testing";
import { main as startTags } from "@velaflows/tags";
import { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { startExpressTags } from "../lib/express-tags";
import type { ParentMessage, ServerStart, StartedServer } from "../lib/server-process";

// Never refused during a run, yet counted on every request: the rate-limit steps stay in the pipeline.
const UNREACHABLE_RATE_LIMIT = "100000000/15s";

let stop: (() => Promise<void>) | undefined;

async function start(request: ServerStart): Promise<StartedServer> {
  switch (request.role) {
    case "tags": {
      const service = await startTestService("tags", startTags, {
        DATABASE_URL: request.databaseUrl,
        DATABASE_POOL_SIZE: String(request.poolSize),
        LOG_LEVEL: "silent",
      });
      stop = () => service.stop();
      return { role: "tags", grpcAddress: service.grpcAddress };
    }
    case "gateway": {
      // The gateway through its own main(), with its whole pipeline: only the budgets are raised.
      const gateway = await startGateway({
        ...process.env,
        HOST: "127.0.0.1",
        GATEWAY_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        TAGS_ADDR: request.tagsAddress,
        GATEWAY_DEV_IDENTITY: "true",
        LOG_LEVEL: "silent",
        RATE_LIMIT_GENERAL: UNREACHABLE_RATE_LIMIT,
        RATE_LIMIT_IP: UNREACHABLE_RATE_LIMIT,
      });
      stop = () => gateway.stop();
      if (!gateway.devIdentity) throw new Error("the gateway started without its development identity");
      // A real client's credentials: an owner's access token for the workspace.
      const token = await gateway.devIdentity.mintToken({ userId: newObjectId(), workspaceId: request.workspaceId });
      return { role: "gateway", url: gateway.url, token };
    }
    case "express": {
      const client = createServiceClient(TagsServiceClient, request.tagsAddress);
      const express = await startExpressTags(client.call);
      stop = async () => {
        await express.stop();
        client.close();
      };
      return { role: "express", url: express.url };
    }
  }
}

function send(message: unknown): void {
  process.send!(message);
}

process.on("message", (message: ParentMessage) => {
  switch (message.type) {
    case "start":
      start(message.server).then(
        (started) => send({ type: "started", started }),
        (error: unknown) => send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
      break;
    case "cpu": {
      const { user, system } = process.cpuUsage();
      send({ type: "cpu", micros: user + system });
      break;
    }
    case "stop":
      void (stop?.() ?? Promise.resolve())
        .catch(() => undefined)
        .finally(() => process.exit(0));
      break;
  }
});

// An orphan (the benchmark killed without its cleanup) must not keep listening.
process.on("disconnect", () => process.exit(0));
