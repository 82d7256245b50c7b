import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServiceClient } from "@velaflows/kit";
import { TagsServiceClient, CreateTagRequest, ListTagsRequest } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { newWorkspaceId, workspaceMetadata } from "@velaflows/testing";

// `npm start` as a user runs it: the launcher in its own process, on the embedded database in a
// data folder, every service on its own port. Ports are freed (0) so a running platform on this
// machine does not collide with the test.
const root = join(__dirname, "..", "..", "..");
const dataDir = mkdtempSync(join(tmpdir(), "velaflows-start-"));

// A guard against a hung start, not a speed check: a cold start runs initdb and every service's
// migrations on the embedded database, which takes minutes on a busy 2-core machine.
const START_LIMIT_MS = 180_000;

interface Started {
  child: ChildProcess;
  output: string;
  tagsAddress: string;
  gatewayUrl: string;
  token: string;
  workspaceId: string;
}

// Every service the launcher will discover gets free ports, whatever services exist.
const servicePorts = Object.fromEntries(
  readdirSync(join(root, "services"))
    .filter((name) => existsSync(join(root, "services", name, "service.yaml")))
    .flatMap((name) => {
      const prefix = name.toUpperCase().replace(/-/g, "_");
      return [
        [`${prefix}_GRPC_PORT`, "0"],
        [`${prefix}_HTTP_PORT`, "0"],
      ];
    }),
);

async function startPlatform(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, VELAFLOWS_DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: "0", ...servicePorts, GATEWAY_PORT: "0", GATEWAY_GRPC_PORT: "0", LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["--tsconfig", "tsconfig.base.json", "--conditions=@velaflows/source", "packages/launcher/src/start.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not running after ${START_LIMIT_MS / 1000} s:\n${output}`)), START_LIMIT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /^\s+tags\s+grpc (\S+)/m.exec(output);
      const gateway = /^\s+gateway\s+(http:\/\/\S+)\/api\/v1/m.exec(output);
      const token = /export VELAFLOWS_TOKEN=(\S+)/.exec(output);
      const workspace = /-H "x-workspace-id: ([0-9a-f]{24})"/.exec(output);
      if (output.includes("Press Ctrl+C to stop.") && address && gateway && token && workspace) {
        clearTimeout(timer);
        resolve({ child, output, tagsAddress: address[1]!, gatewayUrl: gateway[1]!, token: token[1]!, workspaceId: workspace[1]! });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return ready;
}

async function stopPlatform(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  started.child.kill("SIGTERM");
  return exited;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("npm start serves Tags and the gateway on the embedded database, stops cleanly and keeps its data", async () => {
  const workspaceId = newWorkspaceId();
  const first = await startPlatform();
  expect(first.output).toMatch(/VelaFlows is running: \d+ service\(s\) and the gateway, ready in \d+ ms/);
  expect(first.output).toContain(`data in ${dataDir}`);
  const { call, close } = createServiceClient(TagsServiceClient, first.tagsAddress);
  try {
    await call.createTag(CreateTagRequest.fromPartial({ name: "Survives restarts" }), { metadata: workspaceMetadata(workspaceId) });
  } finally {
    close();
  }
  const restCall = (started: Started, path: string, init: RequestInit = {}) =>
    fetch(started.gatewayUrl + path, {
      ...init,
      headers: { authorization: `Bearer ${started.token}`, "x-workspace-id": started.workspaceId, "content-type": "application/json" },
    });
  const created = await restCall(first, "/api/v1/tags", { method: "POST", body: JSON.stringify({ name: "Made over REST" }) });
  expect(created.status).toBe(201);
  expect(await stopPlatform(first)).toBe(0);

  const second = await startPlatform();
  // The demo account and its API token are created once and kept with the data.
  expect(second.token).toBe(first.token);
  expect(second.token).toMatch(/^sk_test_[a-z0-9]{40}$/);
  const listed = await restCall(second, "/api/v1/tags");
  expect(((await listed.json()) as { data: { items: { name: string }[] } }).data.items.map((t) => t.name)).toEqual(["Made over REST"]);
  const again = createServiceClient(TagsServiceClient, second.tagsAddress);
  try {
    const { items } = await again.call.listTags(ListTagsRequest.fromPartial({}), { metadata: workspaceMetadata(workspaceId) });
    expect(items.map((t) => t.name)).toEqual(["Survives restarts"]);
  } finally {
    again.close();
    expect(await stopPlatform(second)).toBe(0);
  }
}, 3 * START_LIMIT_MS);
