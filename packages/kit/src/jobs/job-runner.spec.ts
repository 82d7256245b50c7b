import { createLogger } from "../logging/logger";
import { JobInterrupted, startJobRunner, type ClaimedJob, type JobKind } from "./job-runner";

const logger = createLogger({ service: "kit-test", level: "silent" });

// A kind backed by an in-memory queue: what the runner sees of a service's job tables.
function memoryKind(name: string, queue: ClaimedJob[], run: (job: ClaimedJob, shouldStop: () => boolean) => Promise<void>) {
  const ran: string[] = [];
  const failed: [string, string][] = [];
  let settle: () => void = () => {};
  const empty = new Promise<void>((resolve) => (settle = resolve));
  const kind: JobKind = {
    name,
    claim: async () => {
      const job = queue.shift();
      if (!job) settle();
      return job;
    },
    run: async (job, shouldStop) => {
      ran.push(job.id);
      await run(job, shouldStop);
    },
    fail: async (job, message) => {
      failed.push([job.id, message]);
    },
  };
  return { kind, ran, failed, empty };
}

test("runs every queued job of each kind, failing those that throw or were claimed too often", async () => {
  const imports = memoryKind(
    "import",
    [
      { workspaceId: "w", id: "i1", attempts: 1 },
      { workspaceId: "w", id: "i2", attempts: 1 },
      { workspaceId: "w", id: "i3", attempts: 4 },
    ],
    async (job) => {
      if (job.id === "i2") throw new Error("the file is gone");
    },
  );
  const exports = memoryKind("export", [{ workspaceId: "w", id: "e1", attempts: 1 }], async () => {});
  const runner = startJobRunner([imports.kind, exports.kind], { pollMs: 5, maxAttempts: 3, logger });
  await Promise.all([imports.empty, exports.empty]);
  await runner.stop();
  expect(imports.ran).toEqual(["i1", "i2"]);
  expect(imports.failed).toEqual([
    ["i2", "the file is gone"],
    ["i3", "gave up after 3 attempts"],
  ]);
  expect(exports.ran).toEqual(["e1"]);
  expect(exports.failed).toEqual([]);
});

test("a job interrupted by stop() is neither completed nor failed: it resumes elsewhere", async () => {
  let runner: { stop(): Promise<void> } | undefined;
  let stopping: Promise<void> | undefined;
  const imports = memoryKind("import", [{ workspaceId: "w", id: "i1", attempts: 1 }], async (_, shouldStop) => {
    stopping = runner!.stop();
    if (shouldStop()) throw new JobInterrupted();
  });
  runner = startJobRunner([imports.kind], { pollMs: 5, maxAttempts: 3, logger });
  while (!stopping) await new Promise((resolve) => setImmediate(resolve));
  await stopping;
  expect(imports.ran).toEqual(["i1"]);
  expect(imports.failed).toEqual([]);
});
