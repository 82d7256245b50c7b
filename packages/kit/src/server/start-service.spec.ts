import { Writable } from "node:stream";
import { status, type ServiceError as GrpcServiceError } from "@grpc/grpc-js";
import { ListTagsRequest, Tag, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { DataSource, MigrationInterface } from "typeorm";
import { createServiceClient } from "../clients/service-client";
import { createNotesDataSource, dropSchema, uniqueSchema } from "../database/notes.fixture";
import { readErrorDetails } from "../errors/error-status";
import { ForbiddenError, NotFoundError, ServiceError } from "../errors/service-error";
import { newObjectId } from "../ids/object-id";
import { createLogger } from "../logging/logger";
import type { CallContext } from "../rpc/call-context";
import type { Interceptor } from "../rpc/interceptor";
import type { RunningService } from "./start-service";
import {
  callMetadata,
  checkHealth,
  parseMetrics,
  rawCall,
  rawFailure,
  rawTagsClient,
  startTagsService,
  TAGS_SERVICE,
  type TagsHandlers,
} from "./tags-service.fixture";

const MISSING_ID = "000000000000000000000000";
const LEAKY_MESSAGE = "connect to 10.0.0.3 failed: password=hunter2";

/** Resolves true when `signal` aborts, or false after `maxMs`. */
function untilAborted(signal: AbortSignal, maxMs: number): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), maxMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const opsUrl = (service: RunningService, path: string) => `http://127.0.0.1:${service.httpPort}${path}`;

describe("startService", () => {
  describe("serving calls", () => {
    let service: RunningService;
    let client: ReturnType<typeof rawTagsClient>;
    // What the handlers saw, by request id (each test uses its own).
    const handled = new Map<string, { context: CallContext; aborted?: boolean }>();
    const requestIdOf = (context: CallContext) => context.requestId;

    const handlers: Partial<TagsHandlers> = {
      async getTag(request, context) {
        handled.set(requestIdOf(context), { context });
        if (request.id === MISSING_ID) throw new NotFoundError("Tag", request.id);
        return { tag: Tag.fromPartial({ id: request.id, workspaceId: context.workspaceId, name: "found" }) };
      },
      async createTag(request, context) {
        handled.set(requestIdOf(context), { context });
        return { tag: Tag.fromPartial({ id: newObjectId(), name: request.name }) };
      },
      async deleteTag(_request, context) {
        handled.set(requestIdOf(context), { context });
        throw new Error(LEAKY_MESSAGE);
      },
      async listTags(_request, context) {
        const entry: { context: CallContext; aborted?: boolean } = { context };
        handled.set(requestIdOf(context), entry);
        entry.aborted = await untilAborted(context.signal, 3_000);
        return { items: [] };
      },
    };

    beforeAll(async () => {
      service = await startTagsService({ handlers });
      client = rawTagsClient(service.grpcAddress);
    });
    afterAll(async () => {
      client.close();
      await service.stop();
    });

    const withRequestId = (workspaceId: string | undefined) => {
      const requestId = `req-${newObjectId()}`;
      return { requestId, metadata: callMetadata(workspaceId, { "x-request-id": requestId }) };
    };

    test("reports SERVING for the server and each of its services", async () => {
      expect(await checkHealth(service.grpcAddress)).toBe("SERVING");
      expect(await checkHealth(service.grpcAddress, TAGS_SERVICE)).toBe("SERVING");
      expect(await checkHealth(service.grpcAddress, "velaflows.nope.v1.NopeService")).toBe("NOT_FOUND");
    });

    test.each([
      ["GET", "/healthz", 200, '{"status":"ok"}'],
      ["GET", "/readyz", 200, '{"status":"ready"}'],
      ["GET", "/readyz?verbose=1", 200, '{"status":"ready"}'],
      ["GET", "/nope", 404, ""],
      ["POST", "/metrics", 405, ""],
    ])("answers %s %s on the ops port with %i", async (method, path, code, body) => {
      const response = await fetch(opsUrl(service, path), { method });
      expect(response.status).toBe(code);
      expect(await response.text()).toBe(body);
    });

    test("answers a call with the handler's response and passes the call's context", async () => {
      const workspaceId = newObjectId();
      const { requestId, metadata } = withRequestId(workspaceId);
      metadata.set("x-user-id", "user-1");
      metadata.set("x-permissions", "tags:read,tags:write");
      const id = newObjectId();
      const response = await rawCall(client, client.getTag, { id }, metadata);
      expect(response.tag).toMatchObject({ id, workspaceId, name: "found" });
      const { context } = handled.get(requestId)!;
      expect({ method: context.method, workspaceId: context.workspaceId, userId: context.userId, permissions: context.permissions }).toEqual({
        method: "/velaflows.tags.v1.TagsService/GetTag",
        workspaceId,
        userId: "user-1",
        permissions: ["tags:read", "tags:write"],
      });
    });

    test("refuses a call without x-workspace-id as UNAUTHENTICATED, before the handler", async () => {
      const { requestId, metadata } = withRequestId(undefined);
      const error = await rawFailure(rawCall(client, client.getTag, { id: newObjectId() }, metadata));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.UNAUTHENTICATED, details: "x-workspace-id metadata is required" });
      expect(readErrorDetails(error.metadata).reason).toBe("UNAUTHENTICATED");
      expect(handled.has(requestId)).toBe(false);
    });

    test("refuses an invalid request as INVALID_ARGUMENT with BadRequest violations, before the handler", async () => {
      const { requestId, metadata } = withRequestId(newObjectId());
      const request = { name: "", color: "red", description: "", entityTypes: ["customer", "user"] };
      const error = await rawFailure(rawCall(client, client.createTag, request, metadata));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.INVALID_ARGUMENT, details: "Validation failed" });
      expect(readErrorDetails(error.metadata)).toEqual({
        reason: "VALIDATION_ERROR",
        metadata: {},
        violations: [
          { path: "name", message: "is required" },
          { path: "color", message: "must be a hex colour such as #22c55e" },
          { path: "entityTypes[1]", message: "must be one of: customer, conversation, lead, registration, broker, task, broadcast, message" },
        ],
      });
      expect(handled.has(requestId)).toBe(false);
    });

    test("gives a kit client the violations as a ServiceError", async () => {
      const { call, close } = createServiceClient(TagsServiceClient, service.grpcAddress);
      try {
        const error = await call.getTag({ id: "not-an-id" }, { metadata: callMetadata(newObjectId()) }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ServiceError);
        expect(error).toMatchObject({
          code: status.INVALID_ARGUMENT,
          reason: "VALIDATION_ERROR",
          violations: [{ path: "id", message: "must be a 24-character hex id" }],
        });
      } finally {
        close();
      }
    });

    test("answers a handler's plain Error as INTERNAL with a generic message only", async () => {
      const { requestId, metadata } = withRequestId(newObjectId());
      const error = await rawFailure(rawCall(client, client.deleteTag, { id: newObjectId() }, metadata));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.INTERNAL, details: "Internal error" });
      expect(readErrorDetails(error.metadata)).toEqual({ reason: "INTERNAL_ERROR", metadata: {}, violations: [] });
      const everythingSent = JSON.stringify({ message: error.message, details: error.details, metadata: error.metadata.toJSON() });
      expect(everythingSent).not.toContain("hunter2");
      expect(everythingSent).not.toContain("10.0.0.3");
      expect(handled.has(requestId)).toBe(true);
    });

    test("answers NotFoundError as NOT_FOUND with the resource", async () => {
      const error = await rawFailure(rawCall(client, client.getTag, { id: MISSING_ID }, callMetadata(newObjectId())));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.NOT_FOUND, details: "Tag not found" });
      expect(readErrorDetails(error.metadata)).toEqual({ reason: "NOT_FOUND", metadata: {}, violations: [], resource: { type: "Tag", id: MISSING_ID } });
    });

    test("answers DEADLINE_EXCEEDED when the handler outlives the caller's deadline, and aborts its signal", async () => {
      const { requestId, metadata } = withRequestId(newObjectId());
      const started = Date.now();
      const error = await rawFailure(rawCall(client, client.listTags, ListTagsRequest.fromPartial({}), metadata, { deadline: Date.now() + 200 }));
      expect(error.code).toBe(status.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeLessThan(2_000);
      await sleep(50);
      const entry = handled.get(requestId)!;
      expect(entry.context.deadline).toBeInstanceOf(Date);
      expect(entry.aborted).toBe(true);
    });
  });

  test("publishes RED metrics on /metrics", async () => {
    const service = await startTagsService({
      handlers: {
        async getTag(request) {
          if (request.id === MISSING_ID) throw new NotFoundError("Tag", request.id);
          throw new Error("boom");
        },
        async createTag() {
          return {};
        },
      },
    });
    const client = rawTagsClient(service.grpcAddress);
    try {
      const metadata = callMetadata(newObjectId());
      await rawCall(client, client.createTag, { name: "VIP", color: "", description: "", entityTypes: [] }, metadata);
      await rawCall(client, client.createTag, { name: "VIP 2", color: "", description: "", entityTypes: [] }, metadata);
      await rawFailure(rawCall(client, client.getTag, { id: MISSING_ID }, metadata));
      await rawFailure(rawCall(client, client.getTag, { id: newObjectId() }, metadata));

      const response = await fetch(opsUrl(service, "/metrics"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      const samples = parseMetrics(await response.text());
      const counts = samples
        .filter((s) => s.name === "rpc_server_call_duration_seconds_count")
        .map(({ labels, value }) => ({
          method: labels.rpc_method,
          code: labels.rpc_response_status_code,
          errorType: labels.error_type,
          system: labels.rpc_system_name,
          count: value,
        }))
        .sort((a, b) => `${a.method}${a.code}`.localeCompare(`${b.method}${b.code}`));
      expect(counts).toEqual([
        { method: "velaflows.tags.v1.TagsService/CreateTag", code: "OK", errorType: "", system: "grpc", count: 2 },
        { method: "velaflows.tags.v1.TagsService/GetTag", code: "INTERNAL", errorType: "INTERNAL", system: "grpc", count: 1 },
        { method: "velaflows.tags.v1.TagsService/GetTag", code: "NOT_FOUND", errorType: "", system: "grpc", count: 1 },
      ]);
      expect(samples.find((s) => s.name === "rpc_server_call_duration_seconds_count")!.labels.service).toBe(service.name);
      const active = samples.filter((s) => s.name === "rpc_server_active_calls");
      expect(active.length).toBeGreaterThan(0);
      expect(active.every((s) => s.value === 0)).toBe(true);
      expect(samples.some((s) => s.name === "process_cpu_seconds_total")).toBe(true);
    } finally {
      client.close();
      await service.stop();
    }
  });

  test("cuts off a call whose caller set no deadline after maxCallMs", async () => {
    let aborted: Promise<boolean> | undefined;
    const service = await startTagsService({
      config: { maxCallMs: 150 },
      handlers: {
        async listTags(_request, context) {
          aborted = untilAborted(context.signal, 3_000);
          await aborted;
          return { items: [] };
        },
      },
    });
    const client = rawTagsClient(service.grpcAddress);
    try {
      const error = await rawFailure(rawCall(client, client.listTags, ListTagsRequest.fromPartial({}), callMetadata(newObjectId())));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.DEADLINE_EXCEEDED, details: "Deadline exceeded" });
      expect(readErrorDetails(error.metadata).reason).toBe("DEADLINE_EXCEEDED");
      expect(await aborted).toBe(true);
    } finally {
      client.close();
      await service.stop();
    }
  });

  test("logs a server error with its cause, which the caller never sees", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const service = await startTagsService({
      logger: createLogger({ service: "kit-spec-logging", level: "info", destination }),
      handlers: {
        async deleteTag() {
          throw new Error(LEAKY_MESSAGE);
        },
      },
    });
    const client = rawTagsClient(service.grpcAddress);
    try {
      const requestId = `req-${newObjectId()}`;
      const error = await rawFailure(rawCall(client, client.deleteTag, { id: newObjectId() }, callMetadata(newObjectId(), { "x-request-id": requestId })));
      expect(error.details).toBe("Internal error");
      const entry = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.request_id === requestId);
      expect(entry).toMatchObject({
        level: "error",
        msg: "Internal error",
        code: "INTERNAL",
        reason: "INTERNAL_ERROR",
        rpc_method: "/velaflows.tags.v1.TagsService/DeleteTag",
      });
      expect((entry!.err as { message: string }).message).toBe(LEAKY_MESSAGE);
    } finally {
      client.close();
      await service.stop();
    }
  });

  test("runs the service's interceptors after the kit's, innermost last", async () => {
    const seen: string[] = [];
    const record: Interceptor = (next) => async (call) => {
      seen.push(`record ${call.desc.name} ${call.context.workspaceId}`);
      return next(call);
    };
    const guard: Interceptor = (next) => async (call) => {
      if (!call.context.permissions.includes(call.policy.access)) throw new ForbiddenError(`${call.policy.access} is required`);
      return next(call);
    };
    const service = await startTagsService({
      interceptors: [record, guard],
      handlers: {
        async getTag(request) {
          seen.push(`handler ${request.id}`);
          return {};
        },
      },
    });
    const client = rawTagsClient(service.grpcAddress);
    try {
      const ws = newObjectId();
      const id = newObjectId();
      await rawFailure(rawCall(client, client.getTag, { id: "bad" }, callMetadata(ws, { "x-permissions": "tags:read" })));
      const forbidden = await rawFailure(rawCall(client, client.getTag, { id }, callMetadata(ws)));
      expect({ code: forbidden.code, details: forbidden.details }).toEqual({ code: status.PERMISSION_DENIED, details: "tags:read is required" });
      await rawCall(client, client.getTag, { id }, callMetadata(ws, { "x-permissions": "tags:read" }));
      // The invalid request stopped at the kit's validation; the forbidden one at the guard.
      expect(seen).toEqual([`record GetTag ${ws}`, `record GetTag ${ws}`, `handler ${id}`]);
    } finally {
      client.close();
      await service.stop();
    }
  });

  describe("stopping", () => {
    test("reports NOT_SERVING and not ready while draining, then stops answering", async () => {
      // A drain long enough for the checks below even on a loaded CI machine.
      const service = await startTagsService({ config: { shutdownDrainMs: 3_000 }, handlers: {} });
      expect(await checkHealth(service.grpcAddress)).toBe("SERVING");
      const stopped = service.stop();
      expect(service.stop()).toBe(stopped);
      expect(await checkHealth(service.grpcAddress)).toBe("NOT_SERVING");
      expect(await checkHealth(service.grpcAddress, TAGS_SERVICE)).toBe("NOT_SERVING");
      const readyz = await fetch(opsUrl(service, "/readyz"));
      expect({ status: readyz.status, body: await readyz.json() }).toEqual({ status: 503, body: { status: "not ready" } });
      await stopped;
      expect(await checkHealth(service.grpcAddress)).toBe("UNAVAILABLE");
      await expect(fetch(opsUrl(service, "/healthz"))).rejects.toThrow();
    });

    test("lets an in-flight call finish", async () => {
      const service = await startTagsService({
        handlers: {
          async getTag(request) {
            await sleep(200);
            return { tag: Tag.fromPartial({ id: request.id }) };
          },
        },
      });
      const client = rawTagsClient(service.grpcAddress);
      try {
        const id = newObjectId();
        const inFlight = rawCall(client, client.getTag, { id }, callMetadata(newObjectId()));
        await sleep(50);
        await service.stop();
        expect((await inFlight).tag?.id).toBe(id);
      } finally {
        client.close();
      }
    });

    test("cancels calls still running after shutdownTimeoutMs", async () => {
      const service = await startTagsService({
        config: { shutdownTimeoutMs: 200, maxCallMs: 1_500 },
        handlers: {
          async listTags(_request, context) {
            await untilAborted(context.signal, 1_500);
            return { items: [] };
          },
        },
      });
      const client = rawTagsClient(service.grpcAddress);
      try {
        const stuck = rawFailure(rawCall(client, client.listTags, ListTagsRequest.fromPartial({}), callMetadata(newObjectId())));
        await sleep(50);
        const started = Date.now();
        await service.stop();
        expect(Date.now() - started).toBeLessThan(1_000);
        const error: GrpcServiceError = await stuck;
        expect([status.CANCELLED, status.UNAVAILABLE]).toContain(error.code);
      } finally {
        client.close();
      }
    });
  });

  describe("with a data source", () => {
    const schemas: string[] = [];
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(schema, createNotesDataSource(schema));
    });

    test("migrates before SERVING and destroys the data source on stop", async () => {
      const schema = uniqueSchema();
      schemas.push(schema);
      const dataSource = createNotesDataSource(schema);
      const service = await startTagsService({ dataSource, handlers: {} });
      try {
        expect(dataSource.isInitialized).toBe(true);
        const applied = (await dataSource.query(`SELECT "name" FROM "${schema}"."migrations" ORDER BY "id"`)) as { name: string }[];
        expect(applied.map((m) => m.name)).toEqual(["KitOutbox1764300000000", "KitProcessedEvents1764300000001", "KitOutboxWriter1764300000002", "CreateNotes1764400000000", "AddNotesIndex1764400000001"]);
        expect(await checkHealth(service.grpcAddress)).toBe("SERVING");
      } finally {
        await service.stop();
      }
      expect(dataSource.isInitialized).toBe(false);
    });

    test("fails to start, releasing everything, when a migration fails", async () => {
      const schema = uniqueSchema();
      schemas.push(schema);
      class Broken1764400000009 implements MigrationInterface {
        name = "Broken1764400000009";
        async up(): Promise<void> {
          throw new Error("migration failed on purpose");
        }
        async down(): Promise<void> {}
      }
      const dataSource: DataSource = createNotesDataSource(schema, [Broken1764400000009]);
      const typeormLog = jest.spyOn(console, "log").mockImplementation(() => undefined); // typeorm prints failed migrations
      try {
        await expect(startTagsService({ dataSource, handlers: {} })).rejects.toThrow("migration failed on purpose");
      } finally {
        typeormLog.mockRestore();
      }
      expect(dataSource.isInitialized).toBe(false);
    });
  });
});
