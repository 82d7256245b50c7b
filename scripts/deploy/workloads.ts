import { readdirSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadServiceManifest, type ServiceManifest } from "@velaflows/kit";

/** Container resources as Kubernetes spells them; memory limits are whole Mi or Gi. */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { memory: string; cpu?: string };
}

/** One deployable: a service from its service.yaml, or the gateway. */
export interface Workload {
  name: string;
  role: "service" | "gateway";
  description: string;
  ports: { grpc: number; http: number };
  grpcServices: string[];
  resources: Resources;
  /** Services this one calls (manifest names). */
  dependsOn: string[];
  /** Workloads that call this one: the gateway, and every service that depends on it. */
  callers: string[];
  databaseSchema?: string;
  /** Uses RabbitMQ: publishes or consumes events. */
  events: { publishes: string[]; consumes: string[] };
  basePath?: string;
  /** `allowedCallers` in the manifest: when present, the only workloads its NetworkPolicy admits. */
  allowedCallers?: string[];
}

/** The gateway is not a service manifest; these are the facts its chart needs (gateway/src/config.ts). */
export const GATEWAY: Omit<Workload, "callers"> = {
  name: "gateway",
  role: "gateway",
  description: "The REST + Connect edge: /api/v1 transcoded to the services' gRPC",
  ports: { http: 4000, grpc: 4001 },
  grpcServices: [],
  resources: { requests: { cpu: "100m", memory: "192Mi" }, limits: { memory: "384Mi" } },
  dependsOn: [],
  events: { publishes: [], consumes: [] },
};

const DEFAULT_RESOURCES: Resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
const NAME = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$/;
const CPU = /^[0-9]+m?$|^[0-9]+\.[0-9]+$/;
const MEMORY = /^[0-9]+(Mi|Gi)$/;

/**
 * Reads every services/<name>/service.yaml (through the kit's loader, plus the deployment fields
 * it does not type: `resources`), checks the dependency graph, and returns the services sorted by
 * name followed by the gateway, each with its callers.
 */
export function loadWorkloads(servicesDir: string): Workload[] {
  const files = existsSync(servicesDir)
    ? readdirSync(servicesDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(servicesDir, d.name, "service.yaml")))
        .map((d) => join(servicesDir, d.name, "service.yaml"))
        .sort()
    : [];
  const services = files.map((file) => toWorkload(file, loadServiceManifest(file)));
  const byName = new Map(services.map((s) => [s.name, s]));
  const ports = new Map<number, string>([
    [GATEWAY.ports.http, "gateway"],
    [GATEWAY.ports.grpc, "gateway"],
  ]);
  for (const s of services) {
    for (const dep of s.dependsOn) {
      if (!byName.has(dep)) throw new Error(`services/${s.name}/service.yaml: dependsOn names "${dep}", which has no services/${dep}/service.yaml`);
      if (dep === s.name) throw new Error(`services/${s.name}/service.yaml: a service cannot depend on itself`);
    }
    for (const port of [s.ports.grpc, s.ports.http]) {
      const owner = ports.get(port);
      if (owner && owner !== s.name) throw new Error(`services/${s.name}/service.yaml: port ${port} is already used by ${owner}`);
      ports.set(port, s.name);
    }
  }
  const withCallers: Workload[] = services.map((s) => {
    const dependents = services.filter((c) => c.dependsOn.includes(s.name)).map((c) => c.name);
    if (!s.allowedCallers) return { ...s, callers: ["gateway", ...dependents] };
    for (const caller of s.allowedCallers) {
      if (caller !== "gateway" && !byName.has(caller)) throw new Error(`services/${s.name}/service.yaml: allowedCallers names "${caller}", which is neither the gateway nor a service`);
    }
    for (const dependent of dependents) {
      if (!s.allowedCallers.includes(dependent)) {
        throw new Error(`services/${dependent}/service.yaml depends on ${s.name}, but services/${s.name}/service.yaml does not list it in allowedCallers`);
      }
    }
    return { ...s, callers: [...s.allowedCallers].sort((a, b) => (a === "gateway" ? -1 : b === "gateway" ? 1 : a.localeCompare(b))) };
  });
  withCallers.push({ ...GATEWAY, dependsOn: services.map((s) => s.name), callers: [] });
  return withCallers;
}

function toWorkload(file: string, manifest: ServiceManifest): Omit<Workload, "callers"> {
  const raw = (parse(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  if (!NAME.test(manifest.name)) throw new Error(`${file}: "name" must be lower-case letters, digits and dashes`);
  return {
    name: manifest.name,
    role: "service",
    description: typeof raw.description === "string" ? raw.description : `The ${manifest.name} service`,
    ports: manifest.ports,
    grpcServices: manifest.grpcServices,
    resources: readResources(file, raw.resources),
    dependsOn: [...manifest.dependsOn].sort(),
    databaseSchema: manifest.databaseSchema,
    events: manifest.events,
    basePath: manifest.basePath,
    ...(raw.allowedCallers === undefined ? {} : { allowedCallers: readNames(file, "allowedCallers", raw.allowedCallers) }),
  };
}

function readNames(file: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.length > 0)) throw new Error(`${file}: "${field}" must be a list of workload names`);
  return value as string[];
}

function readResources(file: string, value: unknown): Resources {
  if (value === undefined) return DEFAULT_RESOURCES;
  const r = value as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  const fail = (field: string, expected: string): never => {
    throw new Error(`${file}: "resources.${field}" must be ${expected}`);
  };
  const cpu = String(r.requests?.cpu ?? DEFAULT_RESOURCES.requests.cpu);
  const memory = String(r.requests?.memory ?? DEFAULT_RESOURCES.requests.memory);
  const limit = String(r.limits?.memory ?? DEFAULT_RESOURCES.limits.memory);
  if (!CPU.test(cpu)) fail("requests.cpu", 'a CPU quantity such as "50m"');
  if (!MEMORY.test(memory)) fail("requests.memory", 'whole Mi or Gi, such as "128Mi"');
  if (!MEMORY.test(limit)) fail("limits.memory", 'whole Mi or Gi, such as "256Mi"');
  const resources: Resources = { requests: { cpu, memory }, limits: { memory: limit } };
  if (r.limits?.cpu !== undefined) {
    const limitCpu = String(r.limits.cpu);
    if (!CPU.test(limitCpu)) fail("limits.cpu", 'a CPU quantity such as "500m"');
    resources.limits.cpu = limitCpu;
  }
  return resources;
}

/** "api-tokens" → "API_TOKENS", as the kit and the gateway spell environment prefixes. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

/** "api-tokens" → "api_tokens": the database (one per service) and its owning role. */
export function databaseName(name: string): string {
  return name.replace(/-/g, "_");
}
