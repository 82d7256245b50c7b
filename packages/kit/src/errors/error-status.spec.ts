import { Metadata, status } from "@grpc/grpc-js";
import { readErrorDetails, serviceErrorFromGrpc, STATUS_DETAILS_KEY, toGrpcStatus } from "./error-status";
import { ConflictError, NotFoundError, ServiceError, TooManyRequestsError, ValidationError } from "./service-error";

describe("toGrpcStatus → readErrorDetails", () => {
  test.each([
    {
      name: "ValidationError: ErrorInfo and BadRequest",
      error: new ValidationError([
        { path: "name", message: "is required" },
        { path: "entities[1].entityType", message: "must be one of: customer, lead" },
      ]),
      want: {
        reason: "VALIDATION_ERROR",
        metadata: {},
        violations: [
          { path: "name", message: "is required" },
          { path: "entities[1].entityType", message: "must be one of: customer, lead" },
        ],
      },
    },
    {
      name: "NotFoundError: ErrorInfo and ResourceInfo",
      error: new NotFoundError("Tag", "65f1a2b3c4d5e6f7a8b9c0d1"),
      want: { reason: "NOT_FOUND", metadata: {}, violations: [], resource: { type: "Tag", id: "65f1a2b3c4d5e6f7a8b9c0d1" } },
    },
    {
      name: "ConflictError with a resource",
      error: new ConflictError("Name taken", "TAG_NAME_TAKEN", { type: "Tag", id: "t9" }),
      want: { reason: "TAG_NAME_TAKEN", metadata: {}, violations: [], resource: { type: "Tag", id: "t9" } },
    },
    {
      name: "ErrorInfo metadata",
      error: new ServiceError(status.RESOURCE_EXHAUSTED, "Too many tags", { reason: "TAG_LIMIT", metadata: { limit: "500", current: "500" } }),
      want: { reason: "TAG_LIMIT", metadata: { limit: "500", current: "500" }, violations: [] },
    },
    {
      name: "TooManyRequestsError: ErrorInfo and RetryInfo, rounded up to whole seconds",
      error: new TooManyRequestsError("Too many failed logins", 41.2, "LOGIN_THROTTLED"),
      want: { reason: "LOGIN_THROTTLED", metadata: {}, violations: [], retryAfterSeconds: 42 },
    },
    {
      name: "an error without details still carries its reason",
      error: new ServiceError(status.ABORTED, "Try again"),
      want: { reason: "ABORTED", metadata: {}, violations: [] },
    },
  ])("$name", ({ error, want }) => {
    const grpcStatus = toGrpcStatus(error);
    expect(grpcStatus.code).toBe(error.code);
    expect(grpcStatus.details).toBe(error.message);
    expect(readErrorDetails(grpcStatus.metadata)).toEqual(want);
  });

  test("sends no cause", () => {
    const error = new ServiceError(status.INTERNAL, "Internal error", { cause: new Error("password=hunter2") });
    const raw = toGrpcStatus(error).metadata!.get(STATUS_DETAILS_KEY)[0] as Buffer;
    expect(raw.toString("latin1")).not.toContain("hunter2");
  });

  test.each([
    ["no metadata", undefined],
    ["metadata without details", new Metadata()],
  ])("reads nothing from %s", (_, metadata) => {
    expect(readErrorDetails(metadata)).toEqual({ metadata: {}, violations: [] });
  });
});

describe("serviceErrorFromGrpc", () => {
  test("rebuilds the callee's error with its typed details", () => {
    const original = new NotFoundError("Tag", "t1");
    const { code, details, metadata } = toGrpcStatus(original);
    const failure = { code: code!, details: details!, metadata };
    const rebuilt = serviceErrorFromGrpc(failure);
    expect(rebuilt).toBeInstanceOf(ServiceError);
    expect({ code: rebuilt.code, message: rebuilt.message, reason: rebuilt.reason, resource: rebuilt.resource }).toEqual({
      code: status.NOT_FOUND,
      message: "Tag not found",
      reason: "NOT_FOUND",
      resource: { type: "Tag", id: "t1" },
    });
    expect(rebuilt.cause).toBe(failure);
  });

  test("falls back to the code's name as reason when the callee sent no details", () => {
    const rebuilt = serviceErrorFromGrpc({ code: status.UNAVAILABLE, details: "No connection established" });
    expect({ code: rebuilt.code, message: rebuilt.message, reason: rebuilt.reason, violations: rebuilt.violations }).toEqual({
      code: status.UNAVAILABLE,
      message: "No connection established",
      reason: "UNAVAILABLE",
      violations: [],
    });
  });
});
