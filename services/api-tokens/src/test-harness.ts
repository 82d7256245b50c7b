// Shared by this service's spec files: the API Tokens service started through its own main(),
// clients acting in a workspace as a user with given permissions (the gateway's metadata), a
// client calling VerifyApiToken as the gateway does, and the service's captured log lines.
import { Writable } from "node:stream";
import { Metadata } from "@grpc/grpc-js";
import { createServiceClient, MetadataKeys, newObjectId, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as apiTokensProto from "@velaflows/proto/ts/velaflows/api_tokens/v1/api_tokens";
import { newWorkspaceId, partialClient, startTestService, type PartialClient } from "@velaflows/testing";
import { Client } from "pg";
import { main } from "./main";

/** Who a client acts as; a fresh workspace, a fresh user and every permission ("*") by default. */
export interface ActingAs {
  workspaceId?: string;
  userId?: string;
  permissions?: readonly string[];
}

export type ApiTokensClient = PartialClient<apiTokensProto.ApiTokensServiceClient> & { workspaceId: string; userId: string };

export interface ApiTokensHarness {
  service: RunningService;
  /** A client acting as `as` describes. */
  workspace(as?: ActingAs): ApiTokensClient;
  /** VerifyApiToken as the gateway calls it: no workspace, no user. */
  verify(token: string): Promise<apiTokensProto.VerifyApiTokenResponse>;
  /** The promise client, for calls with hand-made metadata. */
  raw: PromiseClient<apiTokensProto.ApiTokensServiceClient>;
  /** A connection to the test database, for what only SQL can see or do (outbox, expiry). */
  db: Client;
  /** Every log line the service has written so far. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startApiTokensHarness(env: NodeJS.ProcessEnv = {}): Promise<ApiTokensHarness> {
  const lines: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const service = await startTestService("api-tokens", (serviceEnv) => main(serviceEnv, { logDestination }), env);
  const { call, close } = createServiceClient(apiTokensProto.ApiTokensServiceClient, service.grpcAddress, {
    defaultDeadlineMs: 30_000, // the concurrency test queues a thousand calls on the embedded database
  });
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  return {
    service,
    raw: call,
    db,
    workspace(as = {}) {
      const workspaceId = as.workspaceId ?? newWorkspaceId();
      const userId = as.userId ?? newObjectId();
      const metadata = new Metadata();
      metadata.set(MetadataKeys.workspaceId, workspaceId);
      metadata.set(MetadataKeys.userId, userId);
      metadata.set(MetadataKeys.permissions, (as.permissions ?? ["*"]).join(","));
      return { ...partialClient(call, apiTokensProto.ApiTokensServiceService, apiTokensProto, metadata), workspaceId, userId };
    },
    verify: (token) => call.verifyApiToken({ token }),
    logs: () => lines.join(""),
    async stop() {
      close();
      await db.end();
      await service.stop();
    },
  };
}

/** The outbox rows of a workspace, oldest first. */
export async function outboxOf(db: Client, workspaceId: string) {
  const { rows } = await db.query<{ id: string; event_type: string; data: Record<string, unknown> }>(
    `SELECT "id", "event_type", "data" FROM "api_tokens"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "occurred_at", "id"`,
    [workspaceId],
  );
  return rows;
}

/** Makes a token expired a second ago, as time passing would. */
export async function expireToken(db: Client, id: string): Promise<void> {
  await db.query(`UPDATE "api_tokens"."api_tokens" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`, [id]);
}
