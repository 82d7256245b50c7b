import { Metadata, status } from "@grpc/grpc-js";
import { ListTagsRequest, Tag, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { readErrorDetails } from "../errors/error-status";
import { NotFoundError, ServiceError } from "../errors/service-error";
import { newObjectId } from "../ids/object-id";
import { MetadataKeys } from "../rpc/call-context";
import type { RunningService } from "../server/start-service";
import { callMetadata, rawCall, rawFailure, rawTagsClient, startTagsService } from "../server/tags-service.fixture";
import { createServiceClient } from "./service-client";

const MISSING_ID = "000000000000000000000000";

describe("createServiceClient", () => {
  // "downstream" echoes the context it was called with; "upstream" handles each call by calling
  // downstream through a kit client, as one service calls another.
  let downstream: RunningService;
  let upstream: RunningService;
  let toDownstream: ReturnType<typeof createServiceClient<TagsServiceClient>>;

  beforeAll(async () => {
    downstream = await startTagsService({
      handlers: {
        async getTag(request, context) {
          if (request.id === MISSING_ID) throw new NotFoundError("Tag", request.id);
          return {
            tag: Tag.fromPartial({
              id: request.id,
              name: context.requestId,
              workspaceId: context.workspaceId,
              createdBy: context.userId,
              description: context.permissions.join(","),
              createdAt: context.deadline,
            }),
          };
        },
        async listTags(_request, context) {
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
          return { items: [] };
        },
        async deleteTag() {
          throw new Error("downstream detail");
        },
      },
    });
    toDownstream = createServiceClient(TagsServiceClient, downstream.grpcAddress);
    upstream = await startTagsService({
      handlers: {
        async getTag(request) {
          return toDownstream.call.getTag({ id: request.id });
        },
        async updateTag(request) {
          // Overrides the workspace it propagates: set keys win over the inbound call's.
          const metadata = new Metadata();
          metadata.set(MetadataKeys.workspaceId, request.tag!.workspaceId);
          return toDownstream.call.getTag({ id: request.id }, { metadata });
        },
        async deleteTag(request) {
          await toDownstream.call.deleteTag(request);
          return { detachedCount: 0 };
        },
      },
    });
  });
  afterAll(async () => {
    toDownstream.close();
    await Promise.all([upstream.stop(), downstream.stop()]);
  });

  async function viaUpstream<T>(fn: (client: TagsServiceClient) => Promise<T>): Promise<T> {
    const client = rawTagsClient(upstream.grpcAddress);
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  }

  test("propagates request id, workspace, user and permissions from the inbound call", async () => {
    const workspaceId = newObjectId();
    const id = newObjectId();
    const metadata = callMetadata(workspaceId, { "x-request-id": "req-propagated", "x-user-id": "user-7", "x-permissions": "tags:read,tags:write" });
    const response = await viaUpstream((client) => rawCall(client, client.getTag, { id }, metadata));
    expect(response.tag).toMatchObject({ id, name: "req-propagated", workspaceId, createdBy: "user-7", description: "tags:read,tags:write" });
  });

  test("keeps each concurrent inbound call's context apart", async () => {
    const calls = Array.from({ length: 10 }, (_, i) => ({ id: newObjectId(), workspaceId: newObjectId(), requestId: `req-concurrent-${i}` }));
    const responses = await viaUpstream((client) =>
      Promise.all(calls.map((c) => rawCall(client, client.getTag, { id: c.id }, callMetadata(c.workspaceId, { "x-request-id": c.requestId })))),
    );
    expect(responses.map((r) => [r.tag?.id, r.tag?.workspaceId, r.tag?.name])).toEqual(calls.map((c) => [c.id, c.workspaceId, c.requestId]));
  });

  test("passes on the inbound call's deadline", async () => {
    const deadline = new Date(Date.now() + 3_000);
    const response = await viaUpstream((client) => rawCall(client, client.getTag, { id: newObjectId() }, callMetadata(newObjectId()), { deadline }));
    const downstreamDeadline = response.tag!.createdAt!.getTime();
    expect(downstreamDeadline).toBeGreaterThan(deadline.getTime() - 1_000);
    expect(downstreamDeadline).toBeLessThanOrEqual(deadline.getTime() + 250);
  });

  test("lets metadata the caller sets win over the inbound call's", async () => {
    const theirs = newObjectId();
    const request = { id: newObjectId(), tag: Tag.fromPartial({ workspaceId: theirs }), updateMask: [] };
    const response = await viaUpstream((client) => rawCall(client, client.updateTag, request, callMetadata(newObjectId(), { "x-request-id": "req-override" })));
    expect(response.tag).toMatchObject({ workspaceId: theirs, name: "req-override" });
  });

  test("passes a callee's typed error through to the original caller", async () => {
    const error = await viaUpstream((client) => rawFailure(rawCall(client, client.getTag, { id: MISSING_ID }, callMetadata(newObjectId()))));
    expect({ code: error.code, details: error.details }).toEqual({ code: status.NOT_FOUND, details: "Tag not found" });
    expect(readErrorDetails(error.metadata)).toEqual({ reason: "NOT_FOUND", metadata: {}, violations: [], resource: { type: "Tag", id: MISSING_ID } });
  });

  test("keeps a callee's INTERNAL error internal and generic", async () => {
    const error = await viaUpstream((client) => rawFailure(rawCall(client, client.deleteTag, { id: newObjectId() }, callMetadata(newObjectId()))));
    expect({ code: error.code, details: error.details }).toEqual({ code: status.INTERNAL, details: "Internal error" });
  });

  test("fails with a ServiceError carrying the callee's details", async () => {
    const error = await toDownstream.call.getTag({ id: MISSING_ID }, { metadata: callMetadata(newObjectId()) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: status.NOT_FOUND, reason: "NOT_FOUND", resource: { type: "Tag", id: MISSING_ID } });
  });

  test("sends no identity outside an inbound call", async () => {
    const error = await toDownstream.call.getTag({ id: newObjectId() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: status.UNAUTHENTICATED, reason: "UNAUTHENTICATED" });
  });

  test("applies a call's own deadline", async () => {
    const started = Date.now();
    const settings = { metadata: callMetadata(newObjectId()), deadline: new Date(Date.now() + 150) };
    const error = await toDownstream.call.listTags(ListTagsRequest.fromPartial({}), settings).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: status.DEADLINE_EXCEEDED });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test("applies defaultDeadlineMs when neither the call nor an inbound call sets one", async () => {
    const quick = createServiceClient(TagsServiceClient, downstream.grpcAddress, { defaultDeadlineMs: 150 });
    try {
      const started = Date.now();
      const error = await quick.call.listTags(ListTagsRequest.fromPartial({}), { metadata: callMetadata(newObjectId()) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: status.DEADLINE_EXCEEDED });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      quick.close();
    }
  });

  test("offers only the unary methods", () => {
    expect(typeof toDownstream.call.getTag).toBe("function");
    expect((toDownstream.call as Record<string, unknown>).nope).toBeUndefined();
  });
});
