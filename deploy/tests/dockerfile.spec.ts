// The one Dockerfile pattern (deploy/Dockerfile). Docker cannot build on these machines, so the
// file is parsed (dockerfile-ast) and its properties asserted: multi-stage, pinned base images,
// production dependencies only, a non-root numeric USER, NODE_ENV=production, no secrets, the final
// stage copying only the build stage's output, and an entry point that runs the workload.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { loadWorkloads } from "../../scripts/deploy/workloads";
import { REPO } from "./support/tools";

const text = readFileSync(join(REPO, "deploy/Dockerfile"), "utf8");
const dockerfile = DockerfileParser.parse(text);
const froms = dockerfile.getFROMs();
const instructions = dockerfile.getInstructions();
const finalStart = froms[froms.length - 1]!.getRange().start.line;
const finalStage = instructions.filter((i) => i.getRange().start.line >= finalStart);
const keyword = (i: Instruction) => i.getKeyword().toUpperCase();
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());

test("parses without problems and has a build stage and a runtime stage", () => {
  expect(froms.length).toBeGreaterThanOrEqual(2);
  expect(froms.map((f) => f.getBuildStage())).toEqual(expect.arrayContaining(["build", "runtime"]));
  expect(instructions.every((i) => /^[A-Z]+$/.test(i.getKeyword()))).toBe(true);
});

test("base images are pinned to a full version (never latest, never a bare major)", () => {
  for (const from of froms) {
    const tag = from.getImageTag() ?? "";
    const digest = from.getImageDigest();
    expect({ image: from.getImageName(), pinned: /^\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/.test(tag) || /^sha256:[a-f0-9]{64}$/.test(digest ?? "") }).toEqual({ image: from.getImageName(), pinned: true });
  }
});

test("the runtime stage installs nothing and copies only the build stage's output", () => {
  const copies = finalStage.filter((i) => ["COPY", "ADD"].includes(keyword(i)));
  expect(copies.length).toBeGreaterThan(0);
  for (const copy of copies) {
    expect(keyword(copy)).toBe("COPY");
    expect(copy.getTextContent()).toMatch(/--from=build\b/);
  }
  expect(finalStage.filter((i) => keyword(i) === "RUN").map((i) => i.getTextContent())).toEqual([]);
});

test("production dependencies only, of the one workspace being built", () => {
  const runs = instructions.filter((i) => keyword(i) === "RUN").map((i) => i.getTextContent().replace(/\\\n/g, " "));
  expect(runs.some((r) => /npm ci --omit=dev\b.*--workspace "\$WORKSPACE"/.test(r))).toBe(true);
  expect(runs.some((r) => /npx tsc -b "\$WORKSPACE"/.test(r))).toBe(true);
});

test("the final USER is a numeric non-root uid and gid", () => {
  const users = finalStage.filter((i) => keyword(i) === "USER");
  expect(users).toHaveLength(1);
  const [uid, gid] = args(users[0]!)[0]!.split(":");
  expect(Number(uid)).toBeGreaterThan(0);
  expect(Number(gid ?? uid)).toBeGreaterThan(0);
});

test("NODE_ENV=production, and no secret in ENV or ARG", () => {
  const env = finalStage
    .filter((i) => keyword(i) === "ENV")
    .flatMap((i) => (i as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties())
    .map((p) => [p.getName(), p.getValue()]);
  expect(env).toContainEqual(["NODE_ENV", "production"]);
  const names = instructions.filter((i) => ["ENV", "ARG"].includes(keyword(i))).flatMap((i) => args(i).map((a) => a.split("=")[0]!));
  expect(names.filter((n) => /(PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL)/i.test(n))).toEqual([]);
  expect(text).not.toMatch(/(password|secret|token)\s*=/i);
});

test("the entry point runs the workload's compiled main with telemetry loaded first (exec form)", () => {
  const entry = finalStage.filter((i) => keyword(i) === "ENTRYPOINT");
  expect(entry).toHaveLength(1);
  expect(JSON.parse(entry[0]!.getArgumentsContent()!)).toEqual(["node", "--require", "@velaflows/kit/telemetry/register", "workload/dist/main.js"]);
  expect(finalStage.filter((i) => keyword(i) === "CMD")).toEqual([]);
});

test("every workload has what the pattern needs: package.json and a src/main.ts whose dist/main.js starts it", () => {
  const workloads = loadWorkloads(join(REPO, "services"));
  for (const w of workloads) {
    const dir = w.role === "gateway" ? "gateway" : `services/${w.name}`;
    expect({ dir, packageJson: existsSync(join(REPO, dir, "package.json")), main: existsSync(join(REPO, dir, "src/main.ts")) }).toEqual({ dir, packageJson: true, main: true });
    const tsconfig = JSON.parse(readFileSync(join(REPO, dir, "tsconfig.json"), "utf8")) as { compilerOptions?: { rootDir?: string; outDir?: string } };
    expect({ dir, rootDir: tsconfig.compilerOptions?.rootDir, outDir: tsconfig.compilerOptions?.outDir }).toEqual({ dir, rootDir: "src", outDir: "dist" });
    expect(readFileSync(join(REPO, dir, "src/main.ts"), "utf8")).toMatch(/if \(require\.main === module\)/);
  }
});

test(".dockerignore keeps secrets, history, caches and local data out of the build context", () => {
  const ignore = readFileSync(join(REPO, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
  for (const entry of [".git", ".env", ".env.*", ".data", ".tools", "**/node_modules", "**/dist"]) expect(ignore).toContain(entry);
});
