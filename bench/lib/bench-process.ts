import { fork } from "node:child_process";
import { resolve } from "node:path";

/** A benchmark process started from `entry`, listening with what it answered. */
export interface BenchProcess<Started> {
  pid: number;
  started: Started;
  /** User plus system CPU time the process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The IPC protocol of a benchmark process: the parent sends `{ type: "start", server }`, then `cpu`
 * requests and a `stop`; the child answers `started` (or `failed`) and `cpu` readings. A child
 * entry serves it with {@link serveBenchProcess}.
 */
type ToChild<S> = { type: "start"; server: S } | { type: "cpu" } | { type: "stop" };
type FromChild<T> = { type: "started"; started: T } | { type: "failed"; error: string } | { type: "cpu"; micros: number };

const REPO_ROOT = resolve(__dirname, "../..");
// BENCH_START_TIMEOUT_MS: a service migrating a large seeded table answers late.
const ANSWER_TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT_MS ?? 90_000);
const STOP_TIMEOUT_MS = 10_000;

/**
 * Forks `entry` under tsx with the workspace's source condition (as the `bench:*` scripts run),
 * asks it to start `server`, and resolves once it answers. The child exits when this process goes
 * away, even without a clean stop.
 */
export async function forkBenchProcess<S, T>(entry: string, server: S): Promise<BenchProcess<T>> {
  const child = fork(entry, [], {
    cwd: REPO_ROOT,
    // BENCH_PROFILE_DIR: each benchmark process writes a V8 CPU profile there when it stops.
    execArgv: ["--import", "tsx", "--conditions=@velaflows/source", ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(REPO_ROOT, "tsconfig.base.json") },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  // A message to a child that has just died fails with EPIPE; its exit is what the parent acts on.
  child.on("error", () => undefined);
  const ask = (message: ToChild<S>, accept: (m: FromChild<T>) => boolean) =>
    new Promise<FromChild<T>>((resolvePromise, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      const onMessage = (m: FromChild<T>) => {
        if (!accept(m)) return;
        cleanup();
        resolvePromise(m);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`benchmark process ${entry} exited (code ${code}) before answering ${message.type}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`benchmark process ${entry} did not answer ${message.type} within ${ANSWER_TIMEOUT_MS} ms`));
      }, ANSWER_TIMEOUT_MS);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send(message);
    });
  try {
    const answer = await ask({ type: "start", server }, (m) => m.type === "started" || m.type === "failed");
    if (answer.type === "failed") throw new Error(`benchmark process ${entry} failed to start: ${answer.error}`);
    return {
      pid: child.pid!,
      started: (answer as Extract<FromChild<T>, { type: "started" }>).started,
      cpuMicros: async () => ((await ask({ type: "cpu" }, (m) => m.type === "cpu")) as Extract<FromChild<T>, { type: "cpu" }>).micros,
      stop: async () => {
        if (child.exitCode === null && child.connected) child.send({ type: "stop" } satisfies ToChild<S>);
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** The child side: starts what the parent asks with `start` (which returns its stop), answers CPU readings, stops on request. */
export function serveBenchProcess<S, T>(start: (server: S) => Promise<{ started: T; stop: () => Promise<void> }>): void {
  let stop: (() => Promise<void>) | undefined;
  const send = (message: FromChild<T>) => process.send!(message);
  process.on("message", (message: ToChild<S>) => {
    switch (message.type) {
      case "start":
        start(message.server).then(
          (running) => {
            stop = running.stop;
            send({ type: "started", started: running.started });
          },
          (error: unknown) => send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
        );
        break;
      case "cpu": {
        const { user, system } = process.cpuUsage();
        send({ type: "cpu", micros: user + system });
        break;
      }
      case "stop":
        void (stop?.() ?? Promise.resolve())
          .catch(() => undefined)
          .finally(() => process.exit(0));
        break;
    }
  });
  // An orphan (the benchmark killed without its cleanup) must not keep listening.
  process.on("disconnect", () => process.exit(0));
}
