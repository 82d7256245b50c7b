import { findMethod } from "../protos/proto-registry";
import { methodPolicy } from "../protos/method-options";
import { applyInterceptors, type Interceptor, type UnaryCall } from "./interceptor";

describe("applyInterceptors", () => {
  const desc = findMethod("/velaflows.tags.v1.TagsService/GetTag");
  const call = { desc, policy: methodPolicy(desc), request: { id: "x" }, context: {} } as unknown as UnaryCall;

  const logging =
    (name: string, log: string[]): Interceptor =>
    (next) =>
    async (c) => {
      log.push(`${name} in`);
      try {
        return await next(c);
      } finally {
        log.push(`${name} out`);
      }
    };

  test("runs the first interceptor outermost, like an onion", async () => {
    const log: string[] = [];
    const run = applyInterceptors(
      async () => {
        log.push("handler");
        return "response";
      },
      [logging("a", log), logging("b", log), logging("c", log)],
    );
    await expect(run(call)).resolves.toBe("response");
    expect(log).toEqual(["a in", "b in", "c in", "handler", "c out", "b out", "a out"]);
  });

  test("lets an interceptor answer without calling the rest, or change the call", async () => {
    const log: string[] = [];
    const shortCircuit: Interceptor = () => async () => "cached";
    expect(await applyInterceptors(async () => "handler", [logging("a", log), shortCircuit, logging("never", log)])(call)).toBe("cached");
    expect(log).toEqual(["a in", "a out"]);

    const rewrite: Interceptor = (next) => (c) => next({ ...c, request: { id: "rewritten" } });
    expect(await applyInterceptors(async (c) => c.request, [rewrite])(call)).toEqual({ id: "rewritten" });
  });

  test("with no interceptors runs the handler alone", async () => {
    expect(await applyInterceptors(async (c) => c.request, [])(call)).toEqual({ id: "x" });
  });
});
