// The EverythingService (proto/velaflows/testing/v1) served in-process for the gateway's tests:
// each RPC answers what it received, so tests see exactly what the transcoder sent.
import { status as GrpcStatus } from "@grpc/grpc-js";
import {
  bindService,
  createLogger,
  createServiceMetrics,
  fileResponse,
  ServiceError,
  startService,
  type RunningService,
  type ServerConfig,
} from "@velaflows/kit";
import { EverythingServiceService } from "@velaflows/proto/ts/velaflows/testing/v1/everything";

/** What the test service noticed, for assertions about cancellation. */
export interface EverythingObservations {
  cancelledSlowCalls: number;
}

export async function startEverythingService(): Promise<{ service: RunningService; observed: EverythingObservations }> {
  const observed: EverythingObservations = { cancelledSlowCalls: 0 };
  const config: ServerConfig = {
    host: "127.0.0.1",
    grpcPort: 0,
    httpPort: 0,
    databaseUrl: "",
    databasePoolSize: 1,
    logLevel: "silent",
    shutdownDrainMs: 0,
    shutdownTimeoutMs: 500,
    maxCallMs: 10_000,
  };
  const service = await startService({
    manifest: {
      name: "testing",
      grpcServices: ["velaflows.testing.v1.EverythingService"],
      basePath: "/testing",
      databaseSchema: "testing",
      ports: { grpc: 0, http: 0 },
      dependsOn: [],
      events: { publishes: [], consumes: [] },
    },
    config,
    logger: createLogger({ service: "testing", level: "silent" }),
    metrics: createServiceMetrics("testing"),
    services: [
      bindService(EverythingServiceService, {
        echo: async (request) => ({ received: request }),
        getBook: async (request) => ({ book: { id: "b1", title: "", author: "", tags: [] }, receivedName: request.name }),
        getFile: async (request) => ({ path: request.path }),
        archiveBook: async (request) => ({ id: request.id, reason: request.reason }),
        getLatestBook: async () => ({ book: { id: "latest", title: "", author: "", tags: [] } }),
        getBookById: async (request) => ({ book: { id: request.id, title: "", author: "", tags: [] } }),
        updateBook: async (request) => ({ book: request.book, updateMask: request.updateMask ?? [] }),
        createThing: async (request, context) => ({ thing: thingOf(request.name, context) }),
        listThings: async (request, context) => ({ items: Array.from({ length: request.limit }, (_, i) => thingOf(`thing-${i}`, context)) }),
        deleteThing: async () => ({}),
        fail: async (request) => {
          if (request.crash) throw new Error("database password is hunter2"); // must never reach a client
          throw new ServiceError(request.code, request.message, {
            violations: request.violations.map((v) => {
              const [path, message] = v.split("=");
              return { path: path!, message: message ?? "" };
            }),
            resource: request.resourceId ? { type: "Thing", id: request.resourceId } : undefined,
            retryAfterSeconds: request.retryAfterSeconds || undefined,
          });
        },
        slow: async (request, context) =>
          new Promise((resolve) => {
            const timer = setTimeout(() => resolve({ cancelled: false }), request.delayMs);
            context.signal.addEventListener("abort", () => {
              clearTimeout(timer);
              observed.cancelledSlowCalls++;
              resolve({ cancelled: true });
            });
          }),
        signIn: async () => ({ ok: true }),
        downloadFile: async (request) => {
          const text = Buffer.from(request.text, "utf8");
          const data = request.binary ? Buffer.concat([text, Buffer.from(Array.from({ length: 256 }, (_, i) => i))]) : text;
          if (request.text === "missing") throw new ServiceError(GrpcStatus.NOT_FOUND, "No such file", { resource: { type: "File", id: request.fileName } });
          return { file: fileResponse(data, { contentType: request.contentType, fileName: request.fileName }), size: data.length };
        },
        getRawFile: async (request) => fileResponse(request.text, { contentType: "" }),
      }),
    ],
  });
  return { service, observed };
}

function thingOf(name: string, context: { workspaceId?: string; userId?: string; apiTokenId?: string; permissions: readonly string[]; requestId: string }) {
  if (!context.workspaceId) throw new ServiceError(GrpcStatus.UNAUTHENTICATED, "no workspace");
  return {
    id: "0123456789abcdef01234567",
    name,
    workspaceId: context.workspaceId,
    userId: context.userId ?? "",
    apiTokenId: context.apiTokenId ?? "",
    permissions: [...context.permissions],
    requestId: context.requestId,
  };
}
