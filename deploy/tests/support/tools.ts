import { spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

export const REPO = resolve(__dirname, "..", "..", "..");

/** A tool built by scripts/tools/install-tools.sh into .tools/bin (or named by HELM / KUSTOMIZE). */
export function toolPath(name: "helm" | "kustomize"): string | undefined {
  const candidate = process.env[name.toUpperCase()] ?? join(REPO, ".tools", "bin", name);
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

export const HELM = toolPath("helm");
export const KUSTOMIZE = toolPath("kustomize");

/** Why the helm/kustomize suites skip, printed once per suite. */
export function skipReason(name: "helm" | "kustomize"): string {
  return `${name} is not built: run \`bash scripts/tools/install-tools.sh\` (go install into .tools/bin; it needs the Go module proxy). Skipping the ${name} checks.`;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const result = spawnSync(command, args, { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, input: options.input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function runOk(command: string, args: string[], options: Parameters<typeof run>[2] = {}): string {
  const r = run(command, args, options);
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * A private copy of helm/ (and k8s/, observability/ for kustomize) with every chart's
 * dependencies built, so suites never write into the work tree or race each other.
 */
export function prepareWorkspace(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "velaflows-deploy-"));
  const skip = (src: string) => !/\/helm\/[^/]+\/(charts|Chart\.lock)(\/|$)/.test(src);
  for (const folder of ["helm", "k8s", "observability"]) cpSync(join(REPO, folder), join(dir, folder), { recursive: true, filter: skip });
  runOk("bash", [join(REPO, "scripts/deploy/chart-deps.sh"), join(dir, "helm")], { env: { HELM: HELM! } });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: any;
}

/** The objects of a multi-document YAML stream (empty documents dropped); throws on YAML errors. */
export function parseObjects(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}

export const id = (o: K8sObject) => `${o.kind}/${o.metadata?.name}`;

export const CAPABILITIES = ["monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule", "gateway.networking.k8s.io/v1/HTTPRoute"];
