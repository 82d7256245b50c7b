// Generates helm/ (thin charts, umbrella), observability/ (dashboards, rules) and the generated
// parts of k8s/ from services/*/service.yaml. Idempotent: the same manifests give the same bytes.
//   tsx scripts/deploy/generate-deploy.ts            write
//   tsx scripts/deploy/generate-deploy.ts --check    fail (exit 1) listing files that would change
// Options: --root <dir> (default: the repository), --services <dir> (default: <root>/services).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { helmFiles, LIB } from "./helm-charts";
import { k8sFiles } from "./k8s-manifests";
import { dashboards, rulesYaml } from "./observability";
import { GENERATED_HEADER, type Files } from "./output";
import { loadWorkloads } from "./workloads";

export interface GenerateResult {
  /** Files written (or, with check, that would be written) because their content differs. */
  changed: string[];
  /** Generated files no longer produced (a removed service's chart), deleted (or, with check, listed). */
  stale: string[];
}

/** Everything the generator produces, path → content. */
export function generate(root: string, servicesDir = join(root, "services")): Files {
  const workloads = loadWorkloads(servicesDir);
  const files: Files = new Map();
  const boards = dashboards(workloads);
  const rules = rulesYaml(workloads);
  for (const [name, content] of boards) files.set(`observability/dashboards/${name}`, content);
  files.set("observability/rules/velaflows.rules.yaml", rules);
  helmFiles(workloads, boards, rules, files);
  k8sFiles(root, workloads, files, files.get("helm/velaflows/values-production.yaml")!);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Generated files on disk that `files` no longer contains: thin charts of removed services. */
function staleFiles(root: string, files: Files): string[] {
  const stale: string[] = [];
  const helm = join(root, "helm");
  if (!existsSync(helm)) return stale;
  for (const chart of readdirSync(helm, { withFileTypes: true })) {
    if (!chart.isDirectory() || chart.name === LIB) continue;
    const chartYaml = join(helm, chart.name, "Chart.yaml");
    if (!existsSync(chartYaml) || !readFileSync(chartYaml, "utf8").includes(GENERATED_HEADER)) continue;
    if (!files.has(`helm/${chart.name}/Chart.yaml`)) stale.push(`helm/${chart.name}`);
  }
  for (const dir of ["observability/dashboards", "helm/velaflows/dashboards"]) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs)) if (f.endsWith(".json") && !files.has(`${dir}/${f}`)) stale.push(`${dir}/${f}`);
  }
  return stale.sort();
}

export function run(root: string, options: { check: boolean; servicesDir?: string }): GenerateResult {
  const files = generate(root, options.servicesDir);
  const changed: string[] = [];
  for (const [path, content] of files) {
    const abs = join(root, path);
    const current = existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
    if (current === content) continue;
    changed.push(path);
    if (!options.check) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  const stale = staleFiles(root, files);
  if (!options.check) for (const path of stale) rmSync(join(root, path), { recursive: true, force: true });
  return { changed, stale };
}

function main(argv: string[]): number {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = resolve(arg("--root") ?? join(__dirname, "..", ".."));
  const servicesDir = arg("--services") ? resolve(arg("--services")!) : undefined;
  const check = argv.includes("--check");
  const { changed, stale } = run(root, { check, servicesDir });
  if (check) {
    if (changed.length + stale.length === 0) {
      process.stdout.write("deployment files are up to date with services/*/service.yaml\n");
      return 0;
    }
    process.stderr.write(
      ["The generated deployment files are stale; run `npm run gen:deploy` and commit the result.", ...changed.map((p) => `  changed: ${p}`), ...stale.map((p) => `  stale:   ${p}`), ""].join("\n"),
    );
    return 1;
  }
  process.stdout.write(`generated: ${changed.length} file(s) written, ${stale.length} stale removed\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
