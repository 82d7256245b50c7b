// Test fixture for the Redis store specs: a real Redis per test file (or REDIS_URL's), a Redis that
// is down, and one that stops answering.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { delimiter, join } from "node:path";

/** A Redis server for one test file. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Where it came from: REDIS_URL, or a redis-server started for the file. */
  readonly source: "env" | "spawned";
  /** Stops a spawned server; leaves a REDIS_URL server alone. */
  stop(): Promise<void>;
}

/** How the Redis tests of this run get a server, or why they are skipped. */
export type TestRedisAvailability = { available: true; source: "env" | "spawned" } | { available: false; reason: string };

/**
 * REDIS_URL when set (CI: a shared server; tests keep to keys of their own), else a
 * `redis-server` from PATH started per test file, else unavailable.
 */
export function testRedisAvailability(): TestRedisAvailability {
  if (process.env.REDIS_URL) return { available: true, source: "env" };
  if (findOnPath("redis-server")) return { available: true, source: "spawned" };
  return {
    available: false,
    reason: "no REDIS_URL and no redis-server on PATH (Debian: apt-get install -y redis-server)",
  };
}

let skipNoticePrinted = false;

/**
 * `describe` for tests that need a real Redis: starts one before the block (see
 * {@link testRedisAvailability}) and stops it after. Without one, the block becomes a single
 * skipped test whose name gives the reason, also printed once per test file.
 */
export function describeWithRedis(name: string, body: (redis: () => TestRedis) => void): void {
  const availability = testRedisAvailability();
  if (!availability.available) {
    if (!skipNoticePrinted) {
      skipNoticePrinted = true;
      process.stderr.write(`Skipping the Redis tests: ${availability.reason}\n`);
    }
    describe(name, () => {
      test.skip(`needs Redis: ${availability.reason}`, () => {});
    });
    return;
  }
  describe(name, () => {
    let redis: TestRedis | undefined;
    beforeAll(async () => {
      redis = await startTestRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });
    body(() => {
      if (redis === undefined) throw new Error("The test Redis did not start");
      return redis;
    });
  });
}

/** Returns REDIS_URL's server, or starts `redis-server` on 127.0.0.1 on a free port, without persistence. */
export async function startTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL;
  if (url) return { url, source: "env", stop: async () => {} };
  let lastError: unknown;
  // The free port is found, then released for redis-server: another process may take it between
  // the two, so try a few ports.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await spawnRedis(port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function spawnRedis(port: number): Promise<TestRedis> {
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const spawnFailed = new Promise<never>((_, reject) => child.once("error", reject));
  spawnFailed.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  try {
    await Promise.race([waitForPong(port, exited, () => output), spawnFailed]);
  } catch (error) {
    process.off("exit", killOnExit);
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    source: "spawned",
    stop: () => stopChild(child, exited, killOnExit),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, killOnExit: () => void): Promise<void> {
  process.off("exit", killOnExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once the server on `port` answers PING; rejects if it exits first or after 10 s. */
async function waitForPong(port: number, exited: Promise<number | null>, output: () => string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`redis-server exited with ${exitCode}:\n${output()}`);
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING within 10 s:\n${output()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A redis:// URL on 127.0.0.1 where nothing listens (the port was free a moment ago): a Redis that is down. */
export async function unreachableRedisUrl(): Promise<string> {
  return `redis://127.0.0.1:${await freePort()}`;
}

/** A TCP server that looks like a Redis that is ready but then never answers a script. */
export interface UnresponsiveRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a fake Redis on 127.0.0.1 that answers the connection handshake (INFO, CLIENT, SELECT)
 * and then swallows every EVAL and EVALSHA: the shape of a Redis that hangs mid-request, to show
 * that the stores give up after the command timeout instead of holding requests.
 */
export async function startUnresponsiveRedis(): Promise<UnresponsiveRedis> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (;;) {
        const parsed = parseRespCommand(buffered);
        if (parsed === undefined) break;
        buffered = buffered.slice(parsed.length);
        const name = parsed.command[0]?.toUpperCase();
        if (name === "EVAL" || name === "EVALSHA") continue;
        if (name === "INFO") {
          const info = "# Server\r\nredis_version:7.0.0\r\n# Persistence\r\nloading:0\r\n";
          socket.write(`$${info.length}\r\n${info}\r\n`);
        } else {
          socket.write("+OK\r\n");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One complete RESP command (an array of bulk strings) at the start of `text`, or undefined. */
function parseRespCommand(text: string): { command: string[]; length: number } | undefined {
  const header = /^\*(\d+)\r\n/.exec(text);
  if (!header) return undefined;
  let pos = header[0].length;
  const command: string[] = [];
  for (let i = 0; i < Number(header[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(pos));
    if (!bulk) return undefined;
    const start = pos + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (text.length < end + 2) return undefined;
    command.push(text.slice(start, end));
    pos = end + 2;
  }
  return { command, length: pos };
}
