import { Metadata, status } from "@grpc/grpc-js";
import { Client } from "pg";
import { QueryFailedError } from "typeorm";
import {
  BadRequestError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
  ServiceError,
  UnauthenticatedError,
  ValidationError,
} from "./service-error";

// What grpc-js rejects a failed client call with.
function grpcError(code: status, details: string): Error & { code: status; details: string; metadata: Metadata } {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

describe("ServiceError subclasses", () => {
  test.each([
    ["NotFoundError", new NotFoundError("Tag", "t1"), status.NOT_FOUND, "NOT_FOUND", "Tag not found"],
    ["ValidationError", new ValidationError([{ path: "name", message: "is required" }]), status.INVALID_ARGUMENT, "VALIDATION_ERROR", "Validation failed"],
    ["BadRequestError", new BadRequestError("Bad cursor"), status.INVALID_ARGUMENT, "BAD_REQUEST", "Bad cursor"],
    ["ConflictError", new ConflictError("Name taken", "TAG_NAME_TAKEN"), status.ALREADY_EXISTS, "TAG_NAME_TAKEN", "Name taken"],
    ["FailedPreconditionError", new FailedPreconditionError("Not yet"), status.FAILED_PRECONDITION, "FAILED_PRECONDITION", "Not yet"],
    ["UnauthenticatedError", new UnauthenticatedError(), status.UNAUTHENTICATED, "UNAUTHENTICATED", "Authentication required"],
    ["ForbiddenError", new ForbiddenError(), status.PERMISSION_DENIED, "FORBIDDEN", "Forbidden"],
    ["a bare ServiceError", new ServiceError(status.ABORTED, "Try again"), status.ABORTED, "ABORTED", "Try again"],
  ])("%s has its code, reason and message", (name, error, code, reason, message) => {
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.name).toBe(name.startsWith("a bare") ? "ServiceError" : name);
    expect({ code: error.code, reason: error.reason, message: error.message }).toEqual({ code, reason, message });
  });

  test("NotFoundError names its resource, ValidationError its violations", () => {
    expect(new NotFoundError("Tag", "t1").resource).toEqual({ type: "Tag", id: "t1" });
    expect(new ValidationError([{ path: "a", message: "b" }]).violations).toEqual([{ path: "a", message: "b" }]);
  });
});

describe("ServiceError.from", () => {
  test("passes a ServiceError (and its subclasses) through unchanged", () => {
    const error = new NotFoundError("Tag", "t1");
    expect(ServiceError.from(error)).toBe(error);
  });

  test.each([
    ["NOT_FOUND", grpcError(status.NOT_FOUND, "Tag not found"), status.NOT_FOUND, "Tag not found", "NOT_FOUND"],
    ["ALREADY_EXISTS", grpcError(status.ALREADY_EXISTS, "Name taken"), status.ALREADY_EXISTS, "Name taken", "ALREADY_EXISTS"],
    ["DEADLINE_EXCEEDED", grpcError(status.DEADLINE_EXCEEDED, "Deadline exceeded"), status.DEADLINE_EXCEEDED, "Deadline exceeded", "DEADLINE_EXCEEDED"],
    ["UNAVAILABLE without details", grpcError(status.UNAVAILABLE, ""), status.UNAVAILABLE, "UNAVAILABLE", "UNAVAILABLE"],
  ])("keeps the code of a gRPC error (%s)", (_, thrown, code, message, reason) => {
    const error = ServiceError.from(thrown);
    expect({ code: error.code, message: error.message, reason: error.reason }).toEqual({ code, message, reason });
    expect(error.cause).toBe(thrown);
  });

  test.each([
    ["an upstream INTERNAL", grpcError(status.INTERNAL, "pq: relation does not exist")],
    ["an upstream UNKNOWN", grpcError(status.UNKNOWN, "TypeError: x is undefined")],
    ["a plain Error", new Error("password=hunter2 rejected by 10.0.0.3")],
    ["a TypeError", new TypeError("Cannot read properties of undefined")],
    ["a Node system error", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["an object with a numeric code but no metadata", { code: status.NOT_FOUND, details: "nope" }],
    ["a string", "boom"],
    ["undefined", undefined],
  ])("turns %s into INTERNAL with a generic message and keeps the cause", (_, thrown) => {
    const error = ServiceError.from(thrown);
    expect({ code: error.code, message: error.message, reason: error.reason }).toEqual({
      code: status.INTERNAL,
      message: "Internal error",
      reason: "INTERNAL_ERROR",
    });
    expect(error.cause).toBe(thrown);
  });

  test("a write PostgreSQL refused because it raced another is ABORTED (409, retry), as pg and as typeorm throw it", async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const refusal = async (sql: string) => db.query(sql).then(() => undefined, (error: unknown) => error);
    try {
      await db.query(`CREATE TEMP TABLE "parent" ("id" int PRIMARY KEY); CREATE TEMP TABLE "child" ("parent_id" int REFERENCES "parent" ("id"))`);
      await db.query(`INSERT INTO "parent" VALUES (1)`);
      const duplicate = await refusal(`INSERT INTO "parent" VALUES (1)`); // a unique key taken in between
      const dangling = await refusal(`INSERT INTO "child" VALUES (2)`); // a referenced row deleted in between
      for (const thrown of [duplicate, dangling, new QueryFailedError("INSERT …", [], dangling as Error)]) {
        const error = ServiceError.from(thrown);
        expect({ code: error.code, reason: error.reason, message: error.message }).toEqual({
          code: status.ABORTED,
          reason: "CONCURRENT_CHANGE",
          message: "The request conflicted with a concurrent change; retry it",
        });
        expect(error.cause).toBe(thrown);
      }
      // Any other database error stays internal.
      expect(ServiceError.from(await refusal(`SELECT * FROM "no_such_table"`)).code).toBe(status.INTERNAL);
    } finally {
      await db.end();
    }
  });
});
