import { Writable } from "node:stream";
import { createLogger } from "@velaflows/kit";
import { createStoreErrorReporter } from "./store-error-reporter";

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: "gateway-test", destination }), lines };
}

describe("createStoreErrorReporter", () => {
  test("tells onError about every failure but logs at most one line per interval, with the suppressed count", () => {
    let now = 0;
    const { logger, lines } = capturedLogger();
    const seen: [string, string][] = [];
    const report = createStoreErrorReporter({
      component: "rate-limit",
      logger,
      onError: (error, operation) => seen.push([error.message, operation]),
      logIntervalMs: 1000,
      now: () => now,
    });

    report(new Error("ECONNREFUSED"), "rate_limit.hit");
    now = 500;
    report(new Error("ECONNREFUSED"), "rate_limit.hit");
    report("not an Error", "rate_limit.hit");
    now = 1000;
    report(new Error("Command timed out"), "rate_limit.hit");

    expect(seen).toEqual([
      ["ECONNREFUSED", "rate_limit.hit"],
      ["ECONNREFUSED", "rate_limit.hit"],
      ["not an Error", "rate_limit.hit"],
      ["Command timed out", "rate_limit.hit"],
    ]);
    expect(lines.map((line) => [line.level, line.component, line.suppressed, line.msg])).toEqual([
      ["warn", "rate-limit", 0, "rate-limit store error: ECONNREFUSED"],
      ["warn", "rate-limit", 2, "rate-limit store error: Command timed out"],
    ]);
  });

  test("a throwing onError does not escape", () => {
    const report = createStoreErrorReporter({
      component: "idempotency",
      onError: () => {
        throw new Error("metrics broken");
      },
    });
    expect(() => report(new Error("x"), "idempotency.claim")).not.toThrow();
  });
});
