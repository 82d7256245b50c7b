import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * A service's `service.yaml`: the facts the kit, the launcher and the deployment generators share.
 * Only the fields the platform reads are typed here; generators may read more.
 */
export interface ServiceManifest {
  /** Folder and package name, e.g. "tags". */
  name: string;
  /** Fully qualified gRPC service names this deployable serves, e.g. ["velaflows.tags.v1.TagsService"]. */
  grpcServices: string[];
  /** The REST base path under /api/v1, e.g. "/tags". */
  basePath: string;
  /** The PostgreSQL schema the service owns. */
  databaseSchema: string;
  ports: { grpc: number; http: number };
  /** Other services this one calls, by manifest name. */
  dependsOn: string[];
  /** Event types published and patterns consumed. */
  events: { publishes: string[]; consumes: string[] };
}

/** Reads and checks a `service.yaml`; throws naming the file and the field when it is malformed. */
export function loadServiceManifest(path: string): ServiceManifest {
  const raw = readYamlObject(path);
  const fail = (field: string, expected: string): never => {
    throw new Error(`${path}: "${field}" must be ${expected}`);
  };
  const str = (v: unknown, field: string): string => (typeof v === "string" && v.length > 0 ? v : fail(field, "a non-empty string"));
  const port = (v: unknown, field: string): number =>
    Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536 ? (v as number) : fail(field, "a port number");
  const strings = (v: unknown, field: string): string[] =>
    v === undefined ? [] : Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : fail(field, "a list of strings");
  const ports = (raw.ports ?? {}) as Record<string, unknown>;
  const database = (raw.database ?? {}) as Record<string, unknown>;
  const events = (raw.events ?? {}) as Record<string, unknown>;
  const grpcServices = strings(raw.grpcServices, "grpcServices");
  if (grpcServices.length === 0) fail("grpcServices", "a non-empty list of strings");
  return Object.freeze({
    name: str(raw.name, "name"),
    grpcServices,
    basePath: str(raw.basePath, "basePath"),
    databaseSchema: str(database.schema, "database.schema"),
    ports: { grpc: port(ports.grpc, "ports.grpc"), http: port(ports.http, "ports.http") },
    dependsOn: strings(raw.dependsOn, "dependsOn"),
    events: { publishes: strings(events.publishes, "events.publishes"), consumes: strings(events.consumes, "events.consumes") },
  });
}

// The file's top-level mapping; an empty file or another kind of document reads as {} so the field
// checks name what is missing. YAML syntax errors are rethrown naming the file.
function readYamlObject(path: string): Record<string, unknown> {
  const text = readFileSync(path, "utf8");
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return typeof document === "object" && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>) : {};
}
