import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

/** What one benchmark server process is asked to start. */
export type ServerStart =
  | { role: "tags"; databaseUrl: string; poolSize: number }
  | { role: "gateway"; tagsAddress: string; workspaceId: string }
  | { role: "express"; tagsAddress: string };

/** What it answers once listening. */
export type StartedServer =
  | { role: "tags"; grpcAddress: string }
  | { role: "gateway"; url: string; token: string }
  | { role: "express"; url: string };

/** Messages from the benchmark to a server process. */
export type ParentMessage = { type: "start"; server: ServerStart } | { type: "cpu" } | { type: "stop" };

/** Messages from a server process to the benchmark. */
type ChildMessage = { type: "started"; started: StartedServer } | { type: "failed"; error: string } | { type: "cpu"; micros: number };

/** A benchmark server running in a process of its own. */
export interface ServerProcess<S extends StartedServer> {
  pid: number;
  started: S;
  /** User plus system CPU time the process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const ENTRY = resolve(__dirname, "../servers/bench-server.ts");
const REPO_ROOT = resolve(__dirname, "../..");
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Forks `bench/servers/bench-server.ts` under tsx with the workspace's source condition (as
 * `npm run bench:gateway` itself runs), asks it to start `server`, and resolves once it listens.
 * The child exits when this process goes away, even without a clean stop.
 */
export async function startServerProcess<R extends ServerStart["role"]>(
  server: Extract<ServerStart, { role: R }>,
): Promise<ServerProcess<Extract<StartedServer, { role: R }>>> {
  const child = fork(ENTRY, [], {
    cwd: REPO_ROOT,
    // BENCH_PROFILE_DIR: each server process writes a V8 CPU profile there when it stops.
    execArgv: ["--import", "tsx", "--conditions=@velaflows/source", ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(REPO_ROOT, "tsconfig.base.json") },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    const answer = await request(child, { type: "start", server }, (m) => m.type === "started" || m.type === "failed", START_TIMEOUT_MS);
    if (answer.type === "failed") throw new Error(`the ${server.role} process failed to start: ${answer.error}`);
    const started = (answer as Extract<ChildMessage, { type: "started" }>).started as Extract<StartedServer, { role: R }>;
    return {
      pid: child.pid!,
      started,
      cpuMicros: async () => ((await request(child, { type: "cpu" }, (m) => m.type === "cpu", START_TIMEOUT_MS)) as Extract<ChildMessage, { type: "cpu" }>).micros,
      stop: async () => {
        if (child.exitCode === null && child.connected) child.send({ type: "stop" } satisfies ParentMessage);
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

// Sends `message` and resolves with the first answer `accept` takes; rejects if the child exits or
// stays silent for `timeoutMs`.
function request(child: ChildProcess, message: ParentMessage, accept: (m: ChildMessage) => boolean, timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolvePromise, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (m: ChildMessage) => {
      if (!accept(m)) return;
      cleanup();
      resolvePromise(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the benchmark server process exited (code ${code}) before answering ${message.type}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the benchmark server process did not answer ${message.type} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(message);
  });
}
