// Test fixture for the server and client specs: services built from the real TagsService
// definition with handlers written by each test (the kit is under test here, not Tags), raw
// grpc-js clients, and the health and ops endpoints the kit serves.
import {
  credentials,
  makeClientConstructor,
  Metadata,
  status,
  type CallOptions,
  type ServiceDefinition,
  type ServiceError as GrpcServiceError,
} from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import type { DataSource } from "typeorm";
import { TagsServiceClient, TagsServiceService } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { ServiceManifest } from "../config/service-manifest";
import { ServiceError } from "../errors/service-error";
import { createLogger, type Logger } from "../logging/logger";
import { createServiceMetrics } from "../metrics/service-metrics";
import { MetadataKeys } from "../rpc/call-context";
import type { UnaryHandlers } from "../rpc/implement-service";
import type { Interceptor } from "../rpc/interceptor";
import type { ServerConfig } from "./server-config";
import { bindService, startService, type RunningService } from "./start-service";

export const TAGS_SERVICE = "velaflows.tags.v1.TagsService";
export type TagsHandlers = UnaryHandlers<typeof TagsServiceService>;

/** Every TagsService method, answering UNIMPLEMENTED unless the test gives a handler for it. */
export function tagsHandlers(overrides: Partial<TagsHandlers>): TagsHandlers {
  const unimplemented = Object.fromEntries(
    Object.keys(TagsServiceService).map((key) => [
      key,
      async () => {
        throw new ServiceError(status.UNIMPLEMENTED, `${key} is not implemented in this test`);
      },
    ]),
  );
  return { ...unimplemented, ...overrides } as TagsHandlers;
}

export interface StartTagsOptions {
  handlers: Partial<TagsHandlers>;
  config?: Partial<ServerConfig>;
  dataSource?: DataSource;
  interceptors?: Interceptor[];
  logger?: Logger;
}

let started = 0;

/** Starts a TagsService on loopback ports chosen by the OS, with a silent logger and its own metrics. */
export function startTagsService(options: StartTagsOptions): Promise<RunningService> {
  const name = `kit-spec-${++started}`;
  const manifest: ServiceManifest = {
    name,
    grpcServices: [TAGS_SERVICE],
    basePath: "/tags",
    databaseSchema: "unused",
    ports: { grpc: 1, http: 1 },
    dependsOn: [],
    events: { publishes: [], consumes: [] },
  };
  const config: ServerConfig = {
    host: "127.0.0.1",
    grpcPort: 0,
    httpPort: 0,
    databaseUrl: process.env.DATABASE_URL ?? "",
    databasePoolSize: 2,
    logLevel: "silent",
    shutdownDrainMs: 0,
    shutdownTimeoutMs: 500,
    maxCallMs: 5_000,
    ...options.config,
  };
  return startService({
    manifest,
    config,
    logger: options.logger ?? createLogger({ service: name, level: "silent" }),
    metrics: createServiceMetrics(name),
    dataSource: options.dataSource,
    services: [bindService(TagsServiceService, tagsHandlers(options.handlers))],
    interceptors: options.interceptors,
  });
}

/** Metadata for a call in `workspaceId`, with any other platform keys given. */
export function callMetadata(workspaceId: string | undefined, extra: Record<string, string> = {}): Metadata {
  const metadata = new Metadata();
  if (workspaceId) metadata.set(MetadataKeys.workspaceId, workspaceId);
  for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
  return metadata;
}

type RawUnary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: GrpcServiceError | null, response: Res) => void,
) => unknown;

/** A plain grpc-js TagsService client, as any caller outside the platform would use. */
export function rawTagsClient(address: string): TagsServiceClient {
  return new TagsServiceClient(address, credentials.createInsecure());
}

/** Makes one raw call and settles with its response or grpc-js error. */
export function rawCall<Req, Res>(
  client: TagsServiceClient,
  method: RawUnary<Req, Res>,
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** Awaits a raw call that must fail and returns the grpc-js error. */
export async function rawFailure(call: Promise<unknown>): Promise<GrpcServiceError> {
  try {
    await call;
  } catch (error) {
    return error as GrpcServiceError;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

interface HealthClient {
  check(request: { service: string }, options: Partial<CallOptions>, callback: (error: GrpcServiceError | null, response: { status: string }) => void): void;
  close(): void;
}
const HealthClientConstructor = makeClientConstructor(healthService as unknown as ServiceDefinition, "grpc.health.v1.Health") as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => HealthClient;

/** `grpc.health.v1.Health/Check` of `service` ("" for the server): the status, or the error code's name. */
export function checkHealth(address: string, service = ""): Promise<string> {
  const client = new HealthClientConstructor(address, credentials.createInsecure());
  return new Promise<string>((resolve) => {
    client.check({ service }, { deadline: Date.now() + 2_000 }, (error, response) => resolve(error ? status[error.code] : response.status));
  }).finally(() => client.close());
}

/** One sample of a Prometheus text exposition. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the samples of a `/metrics` body. */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}
