// JSON schemas (draft-07) of the charts' values: bad values fail at `helm install`/`helm template`.
type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const bool: Schema = { type: "boolean" };
const port: Schema = { type: "integer", minimum: 1, maximum: 65535 };
const cpu: Schema = { type: "string", pattern: "^[0-9]+m?$|^[0-9]+\\.[0-9]+$" };
const memory: Schema = { type: "string", pattern: "^[0-9]+(Mi|Gi)$" };
const labels: Schema = { type: "object", additionalProperties: { type: "string" } };
const anyObject: Schema = { type: "object" };
const anyArray: Schema = { type: "array" };
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});
const peer: Schema = obj({ podSelector: anyObject, namespaceSelector: anyObject });
const secretRef: Schema = obj({ name: str, key: str });

const probe: Schema = obj(
  {
    type: { enum: ["grpc", "http"] },
    grpcService: str,
    path: { type: "string", pattern: "^/" },
    periodSeconds: { type: "integer", minimum: 1 },
    timeoutSeconds: { type: "integer", minimum: 1 },
    failureThreshold: { type: "integer", minimum: 1 },
  },
  ["type", "periodSeconds", "timeoutSeconds", "failureThreshold"],
);

/** `global`: shared by every chart of the platform (the umbrella sets it once). */
export const globalSchema: Schema = obj({
  imageRegistry: str,
  imageTag: str,
  clusterDomain: str,
  environment: str,
  postgres: obj({ host: str, port, params: str, peer }, ["host", "port", "peer"]),
  rabbitmq: obj({ port, peer }, ["port", "peer"]),
  redis: obj({ url: { type: "string", pattern: "^rediss?://[^:@/]*(:[0-9]+)?(/.*)?$" }, existingUrlSecret: secretRef, port, peer }, ["url", "port", "peer"]),
  otel: obj({ enabled: bool, endpoint: str, ports: { type: "array", items: port }, peer }, ["enabled", "endpoint", "ports", "peer"]),
  networkPolicy: obj({ dns: peer, monitoring: peer, ingressController: peer }, ["dns", "monitoring", "ingressController"]),
});

function workloadProperties(role: "service" | "gateway"): Record<string, Schema> {
  const common: Record<string, Schema> = {
    global: globalSchema,
    // Helm adds a key per dependency (the library chart) to the values.
    "velaflows-lib": anyObject,
    enabled: bool,
    component: { type: "string", pattern: "^[a-z][a-z0-9-]*[a-z0-9]$" },
    role: { const: role },
    fullnameOverride: str,
    image: obj({ registry: str, repository: str, tag: str, digest: { type: "string", pattern: "^(sha256:[a-f0-9]{64})?$" }, pullPolicy: { enum: ["Always", "IfNotPresent", "Never"] } }, ["repository", "pullPolicy"]),
    imagePullSecrets: { type: "array", items: obj({ name: str }, ["name"]) },
    replicaCount: { type: "integer", minimum: 0 },
    ports: obj({ grpc: port, http: port }, ["grpc", "http"]),
    resources: obj({ requests: obj({ cpu, memory }, ["cpu", "memory"]), limits: obj({ memory, cpu }, ["memory"]) }, ["requests", "limits"]),
    heapPercentOfLimit: { type: "integer", minimum: 25, maximum: 90 },
    tmpSizeLimit: memory,
    logLevel: { enum: ["trace", "debug", "info", "warn", "error", "fatal", "silent"] },
    shutdown: obj({ drainMs: { type: "integer", minimum: 0 }, timeoutMs: { type: "integer", minimum: 0 } }, ["drainMs", "timeoutMs"]),
    terminationGracePeriodSeconds: { type: "integer", minimum: 1 },
    env: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] }, propertyNames: { not: { pattern: "(PASSWORD|SECRET|TOKEN|PRIVATE_?KEY|CREDENTIAL)" } } },
    secretEnv: { type: "array", items: obj({ name: str, secretName: str, key: str }, ["name", "secretName", "key"]) },
    probes: obj({ startup: probe, readiness: probe, liveness: probe }, ["startup", "readiness", "liveness"]),
    autoscaling: obj(
      {
        enabled: bool,
        minReplicas: { type: "integer", minimum: 1 },
        maxReplicas: { type: "integer", minimum: 1 },
        targetCPUUtilizationPercentage: { type: "integer", minimum: 1, maximum: 100 },
        targetMemoryUtilizationPercentage: { type: "integer", minimum: 0, maximum: 100 },
        behavior: anyObject,
      },
      ["enabled", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage"],
    ),
    podDisruptionBudget: obj({ maxUnavailable: { type: ["integer", "string"] } }, ["maxUnavailable"]),
    networkPolicy: obj({ enabled: bool, extraIngress: anyArray, extraEgress: anyArray }, ["enabled"]),
    serviceMonitor: obj({ enabled: bool, interval: str, scrapeTimeout: str, labels, sampleLimit: { type: "integer", minimum: 0 } }, ["enabled", "interval", "scrapeTimeout"]),
    serviceAccount: obj({ annotations: labels }),
    podAnnotations: labels,
    podLabels: labels,
    nodeSelector: labels,
    tolerations: anyArray,
    affinity: anyObject,
    topologySpreadConstraints: {
      type: "array",
      items: obj({ topologyKey: str, maxSkew: { type: "integer", minimum: 1 }, whenUnsatisfiable: { enum: ["DoNotSchedule", "ScheduleAnyway"] } }, ["topologyKey"]),
    },
  };
  if (role === "service") {
    return {
      ...common,
      grpcServices: { type: "array", items: str, minItems: 1 },
      database: obj({ enabled: bool, name: str, schema: str, poolSize: { type: "integer", minimum: 1 }, secretName: str, existingUrlSecret: secretRef }, ["enabled", "name"]),
      rabbitmq: obj({ enabled: bool }, ["enabled"]),
      dependsOn: { type: "array", items: obj({ name: str, port }, ["name", "port"]) },
      callers: { type: "array", items: str },
    };
  }
  return {
    ...common,
    upstreams: obj({ configMap: str, services: { type: "object", additionalProperties: obj({ port, host: str }, ["port"]) } }, ["services"]),
    redis: obj({ enabled: bool }, ["enabled"]),
    auth: obj({ jwksUrl: str, issuer: str, audience: str }, ["issuer", "audience"]),
    corsOrigins: { type: "array", items: str },
    trustProxy: bool,
    publicPaths: { type: "array", items: { type: "string", pattern: "^/" }, minItems: 1 },
    ingress: obj({ enabled: bool, className: str, annotations: labels, hosts: { type: "array", items: str }, tls: { type: "array", items: obj({ secretName: str, hosts: { type: "array", items: str } }) } }, ["enabled"]),
    httpRoute: obj({ enabled: bool, parentRefs: { type: "array", items: anyObject }, hostnames: { type: "array", items: str } }, ["enabled"]),
  };
}

const REQUIRED = ["component", "role", "image", "replicaCount", "ports", "resources", "heapPercentOfLimit", "probes", "autoscaling", "networkPolicy", "serviceMonitor"];

/** The values.schema.json of a thin chart. */
export function workloadSchema(role: "service" | "gateway", title: string): Schema {
  return { $schema: "http://json-schema.org/draft-07/schema#", title, ...obj(workloadProperties(role), [...REQUIRED, "global"]) };
}

/** The same schema with nothing required (the umbrella overrides only what it changes). */
function optional(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "required") continue;
    if (key === "properties") out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, optional(v)]));
    else if ((key === "items" || key === "additionalProperties") && typeof value === "object" && value !== null) out[key] = optional(value as Schema);
    else out[key] = value;
  }
  return out;
}

/** The umbrella's values.schema.json: its own keys, `global`, and each subchart's values (all optional here). */
export function umbrellaSchema(services: string[]): Schema {
  const properties: Record<string, Schema> = {
    global: globalSchema,
    dashboards: obj({ enabled: bool, labels, annotations: labels }, ["enabled"]),
    prometheusRule: obj({ enabled: bool, labels, runbookBaseUrl: str }, ["enabled"]),
    networkPolicy: obj({ defaultDeny: bool }, ["defaultDeny"]),
    "velaflows-lib": anyObject,
    gateway: optional(obj(workloadProperties("gateway"))),
  };
  for (const name of services) properties[name] = optional(obj(workloadProperties("service")));
  return { $schema: "http://json-schema.org/draft-07/schema#", title: "VelaFlows platform values", ...obj(properties, ["global", "gateway", ...services]) };
}
