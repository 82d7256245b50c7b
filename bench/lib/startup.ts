import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canReadProcesses, liveGroupMembers, processTree, readCommandLine, readMemory } from "./process-tree";

/** One measured `npm start`. */
export interface StartupRun {
  /** cold: a fresh data folder (PGlite initdb and every migration); warm: the folder of the previous cold run. */
  kind: "cold" | "warm";
  /** Wall time from spawning `npm start` until its stdout printed the ready line (npm, tsx and all). */
  readyMs: number;
  /** What the launcher itself reports on that line: from its first statement to every service serving. */
  launcherReadyMs?: number;
  /** The launcher's own `process.memoryUsage().rss` at that moment. */
  launcherRssMiB?: number;
  /** VmHWM of the node process running start.ts: its peak resident memory through start-up and settling. */
  peakRssMiB?: number;
  /** The largest sum of VmRSS over the whole tree (npm, sh, tsx, node, esbuild) seen by a 50 ms sampler. */
  treePeakRssMiB?: number;
  /** From SIGTERM to every process of the tree gone. */
  stopMs: number;
  /** Peak resident memory (VmHWM) of each process of the tree, for the JSON report. */
  processes: { command: string; peakRssMiB: number }[];
}

/** What {@link measureStart} needs. */
export interface MeasureStartOptions {
  kind: StartupRun["kind"];
  /** The repository root, where `npm start` is defined. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Give up (and kill the tree) when the ready line has not come by then. */
  timeoutMs: number;
  /** Keep sampling memory this long after the ready line: work scheduled at start-up (pool warm-up, logs) still counts. */
  settleMs?: number;
}

const READY = /VelaFlows is running:[^\n]*/;
const LAUNCHER_FIGURES = /ready in (\d+) ms, rss (\d+) MiB/;
const ENTRY = "packages/launcher/src/start.ts";
const SAMPLE_EVERY_MS = 50;
const STOP_TIMEOUT_MS = 20_000;
const KiB_PER_MiB = 1024;

// Process groups started and not yet seen gone, and temporary data folders not yet removed: both
// cleaned up outright if the benchmark itself is interrupted (finally blocks do not run then).
const running = new Set<number>();
const dataDirs = new Set<string>();

/**
 * SIGKILLs every `npm start` tree still running and removes the temporary data folders,
 * synchronously: call it from signal and exit handlers.
 */
export function abortStartups(): void {
  for (const group of running) signalGroup(group, "SIGKILL");
  running.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/**
 * Runs `npm start` once in its own process group and measures it: wall time to the ready line,
 * peak resident memory of the platform's node process (its VmHWM, read after settling) and of the
 * whole tree (sampled), then SIGTERMs the group and waits until every process is gone, escalating
 * to SIGKILL after a timeout, so no run can leave a server behind.
 */
export async function measureStart(options: MeasureStartOptions): Promise<StartupRun> {
  const began = performance.now();
  const child = spawn("npm", ["start"], { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error("could not spawn npm start");
  const group = child.pid; // detached: the child leads a new group holding the whole tree
  running.add(group);
  const sampler = treeSampler(group);
  try {
    const readyLine = await waitForReadyLine(child, options.timeoutMs);
    const readyMs = performance.now() - began;
    await sleep(options.settleMs ?? 500);
    sampler.sample();
    const figures = readyLine.match(LAUNCHER_FIGURES);
    const stopMs = await stopGroup(child, group);
    return {
      kind: options.kind,
      readyMs,
      launcherReadyMs: figures ? Number(figures[1]) : undefined,
      launcherRssMiB: figures ? Number(figures[2]) : undefined,
      peakRssMiB: sampler.entryPeakMiB(),
      treePeakRssMiB: sampler.treePeakMiB(),
      stopMs,
      processes: sampler.processes(),
    };
  } finally {
    sampler.stop();
    if (running.has(group)) await stopGroup(child, group).catch(() => signalGroup(group, "SIGKILL"));
  }
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`npm start printed no ready line within ${timeoutMs} ms`)), timeoutMs);
    // The listeners stay (a pipe nobody reads would block the child's writes); once settled they discard.
    const onStdout = (chunk: Buffer) => {
      if (settled) return;
      stdout += chunk.toString("utf8");
      const line = stdout.match(READY)?.[0];
      if (line && stdout.includes("\n", stdout.indexOf(line))) done(() => resolve(line));
    };
    const onStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`npm start exited (${signal ?? `code ${code}`}) before it was ready:\n${stderr || stdout.slice(-4000)}`));
    const done = (settle: () => void) => {
      settled = true;
      clearTimeout(timer);
      child.off("exit", onExit);
      settle();
    };
    const fail = (error: Error) => done(() => reject(error));
    child.stdout!.on("data", onStdout);
    child.stderr!.on("data", onStderr);
    child.once("exit", onExit);
  });
}

// SIGTERM to the whole group (npm forwards signals unreliably through sh and tsx), then wait until
// no member is left; SIGKILL whatever remains after the timeout.
async function stopGroup(child: ChildProcess, group: number): Promise<number> {
  const began = performance.now();
  signalGroup(group, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(group) || (child.exitCode === null && child.signalCode === null)) {
    if (Date.now() > deadline) {
      signalGroup(group, "SIGKILL");
      running.delete(group);
      throw new Error(`npm start did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM; killed`);
    }
    await sleep(20);
  }
  running.delete(group);
  return performance.now() - began;
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function groupAlive(group: number): boolean {
  if (canReadProcesses()) return liveGroupMembers(group).length > 0;
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls the tree's memory every 50 ms until stopped; keeps each process's VmHWM and the largest VmRSS sum. */
function treeSampler(rootPid: number) {
  const enabled = canReadProcesses();
  const seen = new Map<number, { command: string; depth: number; hwmKiB: number }>();
  let treePeakKiB = 0;
  const sample = () => {
    if (!enabled) return;
    let sumKiB = 0;
    for (const { pid, depth } of processTree(rootPid)) {
      const memory = readMemory(pid);
      if (!memory) continue;
      sumKiB += memory.rssKiB;
      const known = seen.get(pid) ?? { command: readCommandLine(pid), depth, hwmKiB: 0 };
      known.hwmKiB = Math.max(known.hwmKiB, memory.hwmKiB);
      seen.set(pid, known);
    }
    treePeakKiB = Math.max(treePeakKiB, sumKiB);
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  sample();
  return {
    sample,
    stop: () => clearInterval(timer),
    /** VmHWM of the deepest process running the launcher entry: tsx's child node, not its wrapper. */
    entryPeakMiB(): number | undefined {
      const entries = [...seen.values()].filter((p) => p.command.includes(ENTRY)).sort((a, b) => b.depth - a.depth);
      return entries[0] ? entries[0].hwmKiB / KiB_PER_MiB : undefined;
    },
    treePeakMiB: () => (enabled ? treePeakKiB / KiB_PER_MiB : undefined),
    processes: () => [...seen.values()].map((p) => ({ command: p.command.slice(0, 160), peakRssMiB: p.hwmKiB / KiB_PER_MiB })),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What {@link measureStartups} needs. */
export interface StartupSeriesOptions {
  /** The repository root. */
  cwd: string;
  /** Manifest names of the services `npm start` runs; each gets free ports so a running platform cannot collide. */
  services: readonly string[];
  /** Cold and warm starts each. */
  runs: number;
  timeoutMs: number;
  /** Told after each run, for progress output. */
  onRun?: (run: StartupRun) => void;
}

/**
 * Measures `npm start` on the embedded PostgreSQL, alternating a cold start (a fresh temporary data
 * folder) with a warm start on that same folder, `runs` times each, so both kinds see the same
 * machine conditions. DATABASE_URL is removed from the child's environment; the folders are
 * deleted afterwards.
 */
export async function measureStartups(options: StartupSeriesOptions): Promise<StartupRun[]> {
  const runs: StartupRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), "velaflows-bench-start-"));
    dataDirs.add(dataDir);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, VELAFLOWS_DATA_DIR: join(dataDir, "pglite"), EMBEDDED_POSTGRES_PORT: "0" };
      delete env.DATABASE_URL;
      for (const name of options.services) {
        const prefix = name.toUpperCase().replace(/-/g, "_");
        env[`${prefix}_GRPC_PORT`] = "0";
        env[`${prefix}_HTTP_PORT`] = "0";
      }
      for (const kind of ["cold", "warm"] as const) {
        const run = await measureStart({ kind, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
        runs.push(run);
        options.onRun?.(run);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      dataDirs.delete(dataDir);
    }
  }
  return runs;
}
