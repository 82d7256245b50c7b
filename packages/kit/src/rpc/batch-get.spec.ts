import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError } from "../errors/service-error";
import { batchLookUp, inRequestOrder, MISSING_IDS_KEY, missingIds } from "./batch-get";

describe("inRequestOrder", () => {
  test("puts the rows in the order of the ids, a repeated id each time", () => {
    const rows = [{ id: "a" }, { id: "b" }];
    expect(inRequestOrder("Thing", ["b", "a", "b"], rows)).toEqual([{ id: "b" }, { id: "a" }, { id: "b" }]);
  });

  test("fails with NOT_FOUND naming every missing id once, in ResourceInfo (the first) and ErrorInfo metadata", () => {
    let error: unknown;
    try {
      inRequestOrder("Thing", ["x", "a", "y", "x"], [{ id: "a" }]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: GrpcStatus.NOT_FOUND, message: "Things not found: x, y", resource: { type: "Thing", id: "x" }, metadata: { [MISSING_IDS_KEY]: "x,y" } });
    expect(() => inRequestOrder("Thing", ["x"], [])).toThrow("Thing not found: x");
  });
});

describe("batchLookUp", () => {
  // A batch get RPC over `known` that takes at most 3 ids, recording each call's ids.
  function batchGetOver(known: readonly string[]) {
    const calls: string[][] = [];
    const batchGet = async (ids: string[]) => {
      calls.push(ids);
      if (ids.length > 3) throw new ServiceError(GrpcStatus.INVALID_ARGUMENT, "too many ids");
      return inRequestOrder("Thing", ids, known.map((id) => ({ id })));
    };
    return { calls, batchGet };
  }

  test("asks batches of at most batchSize ids, and once more for the found ids of a batch that named missing ones", async () => {
    const { calls, batchGet } = batchGetOver(["a", "b", "d", "e"]);
    const answer = await batchLookUp(["a", "b", "c", "d", "e", "f", "g"], 3, batchGet);
    expect(answer).toEqual({ found: [{ id: "a" }, { id: "b" }, { id: "d" }, { id: "e" }], missing: ["c", "f", "g"] });
    expect(calls).toEqual([["a", "b", "c"], ["a", "b"], ["d", "e", "f"], ["d", "e"], ["g"]]);
  });

  test("asks nothing for no ids", async () => {
    const { calls, batchGet } = batchGetOver([]);
    expect(await batchLookUp([], 3, batchGet)).toEqual({ found: [], missing: [] });
    expect(calls).toEqual([]);
  });

  test("throws any other failure, a NOT_FOUND naming no ids included", async () => {
    const unavailable = new ServiceError(GrpcStatus.UNAVAILABLE, "down");
    await expect(batchLookUp(["a"], 3, () => Promise.reject(unavailable))).rejects.toBe(unavailable);
    const unnamed = new ServiceError(GrpcStatus.NOT_FOUND, "no such method");
    await expect(batchLookUp(["a"], 3, () => Promise.reject(unnamed))).rejects.toBe(unnamed);
  });
});

describe("missingIds", () => {
  test("asks each batch once and answers the ids the refusals named; other failures are thrown", async () => {
    const calls: string[][] = [];
    const batchGet = async (ids: string[]) => {
      calls.push(ids);
      return inRequestOrder("Thing", ids, ["a", "b", "d", "e"].map((id) => ({ id })));
    };
    expect(await missingIds(["a", "b", "c", "d", "e", "f", "g"], 3, batchGet)).toEqual(["c", "f", "g"]);
    expect(calls).toEqual([["a", "b", "c"], ["d", "e", "f"], ["g"]]);
    const unavailable = new ServiceError(GrpcStatus.UNAVAILABLE, "down");
    await expect(missingIds(["a"], 3, () => Promise.reject(unavailable))).rejects.toBe(unavailable);
  });
});
