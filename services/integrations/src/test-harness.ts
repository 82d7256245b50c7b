// Shared by this service's spec files: the Integrations service started through its own main()
// on a schema of its own (so the delivery workers of other spec files, running at the same time
// against the same database, never take its deliveries), and clients acting in a workspace.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { createServiceClient, type PromiseClient, type RunningService } from "@velaflows/kit";
import * as integrationsProto from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import { newWorkspaceId, partialClient, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";

export type IntegrationsClient = PartialClient<integrationsProto.IntegrationsServiceClient> & { workspaceId: string };

/** The scale tests run the retry schedule at: +1/+2/+4/+8 s become 50/100/200/400 ms. */
export const TEST_TIME_SCALE = 0.05;

export interface IntegrationsHarness {
  service: RunningService;
  schema: string;
  /** The environment the service was started with (to start it again, changed or not). */
  env: NodeJS.ProcessEnv;
  workspace(workspaceId?: string, userId?: string): IntegrationsClient;
  raw: PromiseClient<integrationsProto.IntegrationsServiceClient>;
  /** Runs SQL against the test database (for looking at the outbox and the deliveries table). */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Stops the service and starts it again on the same schema, with `env` changes. */
  restart(env?: NodeJS.ProcessEnv): Promise<void>;
  /** Stops the service only (for restart tests); `restart()` starts it again. */
  stopService(): Promise<void>;
  stop(): Promise<void>;
}

export async function startIntegrationsHarness(env: NodeJS.ProcessEnv = {}): Promise<IntegrationsHarness> {
  const schema = `integrations_${randomBytes(4).toString("hex")}`;
  let serviceEnv: NodeJS.ProcessEnv = {
    INTEGRATIONS_DATABASE_SCHEMA: schema,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WEBHOOK_TIME_SCALE: String(TEST_TIME_SCALE),
    WEBHOOK_POLL_INTERVAL_MS: "20",
    ...env,
  };
  let service: RunningService | undefined = await startTestService("integrations", main, serviceEnv);
  let client = createServiceClient(integrationsProto.IntegrationsServiceClient, service.grpcAddress);
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const harness: IntegrationsHarness = {
    get service() {
      return service!;
    },
    schema,
    get env() {
      return serviceEnv;
    },
    get raw() {
      return client.call;
    },
    workspace: (workspaceId = newWorkspaceId(), userId) => ({
      ...partialClient(client.call, integrationsProto.IntegrationsServiceService, integrationsProto, workspaceMetadata(workspaceId, userId)),
      workspaceId,
    }),
    sql: async (text, values) => (await db.query(text, values as unknown[])).rows,
    async stopService() {
      client.close();
      await service?.stop();
      service = undefined;
    },
    async restart(changes = {}) {
      if (service) await harness.stopService();
      serviceEnv = { ...serviceEnv, ...changes };
      service = await startTestService("integrations", main, serviceEnv);
      client = createServiceClient(integrationsProto.IntegrationsServiceClient, service.grpcAddress);
    },
    async stop() {
      client.close();
      await service?.stop();
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.end();
    },
  };
  return harness;
}

/** Polls `read` until `done` holds for its value; fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
