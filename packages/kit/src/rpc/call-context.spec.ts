import { Metadata, status } from "@grpc/grpc-js";
import { ServiceError } from "../errors/service-error";
import { createLogger } from "../logging/logger";
import { createCallContext, MetadataKeys, requireWorkspace } from "./call-context";

const logger = createLogger({ service: "kit-spec", level: "silent" });

function contextFrom(entries: Record<string, string>) {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return createCallContext({ method: "/velaflows.tags.v1.TagsService/GetTag", metadata, signal: new AbortController().signal, logger });
}

describe("createCallContext", () => {
  test("reads the platform's metadata keys", () => {
    const context = contextFrom({
      [MetadataKeys.requestId]: "req-1",
      [MetadataKeys.workspaceId]: "ws-1",
      [MetadataKeys.userId]: "user-1",
      [MetadataKeys.apiTokenId]: "token-1",
      [MetadataKeys.permissions]: "tags:read,,tags:write",
      [MetadataKeys.teamIds]: "team-1,team-2",
    });
    expect({
      method: context.method,
      requestId: context.requestId,
      workspaceId: context.workspaceId,
      userId: context.userId,
      apiTokenId: context.apiTokenId,
      permissions: context.permissions,
      teamIds: context.teamIds,
    }).toEqual({
      method: "/velaflows.tags.v1.TagsService/GetTag",
      requestId: "req-1",
      workspaceId: "ws-1",
      userId: "user-1",
      apiTokenId: "token-1",
      permissions: ["tags:read", "tags:write"],
      teamIds: ["team-1", "team-2"],
    });
  });

  test("makes up a request id when the caller sent none, and leaves the rest unset", () => {
    const a = contextFrom({ [MetadataKeys.workspaceId]: "" });
    const b = contextFrom({});
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.requestId).not.toBe(b.requestId);
    expect({ workspaceId: a.workspaceId, userId: a.userId, permissions: a.permissions, teamIds: a.teamIds }).toEqual({
      workspaceId: undefined,
      userId: undefined,
      permissions: [],
      teamIds: [],
    });
  });
});

describe("requireWorkspace", () => {
  test("returns the workspace, or throws UNAUTHENTICATED", () => {
    expect(requireWorkspace(contextFrom({ [MetadataKeys.workspaceId]: "ws-1" }))).toBe("ws-1");
    let thrown: unknown;
    try {
      requireWorkspace(contextFrom({}));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ServiceError);
    expect((thrown as ServiceError).code).toBe(status.UNAUTHENTICATED);
  });
});
