import { databaseName, type Workload } from "./workloads";
import { umbrellaSchema, workloadSchema } from "./values-schema";
import { GENERATED_YAML, json, yaml, type Files } from "./output";

export const CHART_VERSION = "0.1.0";
export const APP_VERSION = "0.1.0";
export const LIB = "velaflows-lib";

/** `global` defaults, the same in every thin chart and the umbrella. */
export const GLOBAL_DEFAULTS = {
  imageRegistry: "",
  imageTag: "",
  clusterDomain: "cluster.local",
  environment: "production",
  postgres: {
    host: "velaflows-pg-rw",
    port: 5432,
    params: "sslmode=no-verify",
    peer: { podSelector: { matchLabels: { "cnpg.io/cluster": "velaflows-pg" } } },
  },
  rabbitmq: { port: 5672, peer: { podSelector: { matchLabels: { "app.kubernetes.io/name": "velaflows-rabbitmq" } } } },
  redis: {
    url: "redis://velaflows-redis:6379",
    existingUrlSecret: { name: "", key: "url" },
    port: 6379,
    peer: { podSelector: { matchLabels: { "app.kubernetes.io/name": "velaflows-redis" } } },
  },
  otel: {
    enabled: true,
    endpoint: "http://velaflows-otel-collector:4318",
    ports: [4317, 4318],
    peer: { podSelector: { matchLabels: { "app.kubernetes.io/name": "velaflows-otel-collector" } } },
  },
  networkPolicy: {
    dns: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
    monitoring: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
    ingressController: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
  },
};

function workloadValues(w: Workload, all: Workload[]) {
  const grpcPort = (name: string) => all.find((x) => x.name === name)!.ports.grpc;
  const isService = w.role === "service";
  const common = {
    component: w.name,
    role: w.role,
    fullnameOverride: "",
    image: { registry: "", repository: `velaflows/${w.name}`, tag: "", digest: "", pullPolicy: "IfNotPresent" },
    imagePullSecrets: [],
    replicaCount: 1,
    ports: isService ? { grpc: w.ports.grpc, http: w.ports.http } : { http: w.ports.http, grpc: w.ports.grpc },
    resources: w.resources,
    heapPercentOfLimit: 75,
    tmpSizeLimit: "64Mi",
    logLevel: "info",
    // Answer NOT_SERVING for 5 s so endpoints move away, then give in-flight calls 10 s.
    shutdown: { drainMs: 5000, timeoutMs: 10000 },
    terminationGracePeriodSeconds: 30,
    env: {},
    secretEnv: [],
    probes: isService
      ? {
          // gRPC health "" is SERVING once migrations ran and while the database answers.
          startup: { type: "grpc", grpcService: "", periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 60 },
          readiness: { type: "grpc", grpcService: "", periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
          // Liveness must not follow the database (a database outage would restart every pod):
          // /healthz answers while the event loop runs. Switch to gRPC once the kit registers a
          // health service that stays SERVING ("liveness").
          liveness: { type: "http", path: "/healthz", periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        }
      : {
          startup: { type: "http", path: "/healthz", periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
          readiness: { type: "http", path: "/readyz", periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
          liveness: { type: "http", path: "/healthz", periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        },
    autoscaling: {
      enabled: false,
      minReplicas: 2,
      maxReplicas: 6,
      targetCPUUtilizationPercentage: 70,
      targetMemoryUtilizationPercentage: 0,
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
    podDisruptionBudget: { maxUnavailable: 1 },
    networkPolicy: { enabled: true, extraIngress: [], extraEgress: [] },
    serviceMonitor: { enabled: true, interval: "30s", scrapeTimeout: "10s", labels: {} },
    serviceAccount: { annotations: {} },
    podAnnotations: {},
    podLabels: {},
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    topologySpreadConstraints: [],
  };
  if (isService) {
    return {
      ...common,
      grpcServices: w.grpcServices,
      database: { enabled: true, name: databaseName(w.name), schema: w.databaseSchema, poolSize: 10, secretName: "", existingUrlSecret: { name: "", key: "uri" } },
      rabbitmq: { enabled: w.events.publishes.length + w.events.consumes.length > 0 },
      dependsOn: w.dependsOn.map((name) => ({ name, port: grpcPort(name) })),
      callers: w.callers,
    };
  }
  return {
    ...common,
    upstreams: { configMap: "", services: Object.fromEntries(w.dependsOn.map((name) => [name, { port: grpcPort(name) }])) },
    redis: { enabled: true },
    // jwksUrl empty: the gateway takes the token keys from the Auth service (AUTH_ADDR); set it
    // only to verify tokens from another issuer's JWKS endpoint.
    auth: { jwksUrl: "", issuer: "velaflows", audience: "velaflows-api" },
    corsOrigins: [],
    trustProxy: true,
    // Only these paths reach the gateway from outside; /metrics and the health endpoints stay inside.
    publicPaths: ["/api", "/docs"],
    ingress: { enabled: false, className: "", annotations: {}, hosts: [], tls: [] },
    httpRoute: { enabled: false, parentRefs: [], hostnames: [] },
  };
}

function thinChart(w: Workload, all: Workload[], files: Files): void {
  const dir = `helm/${w.name}`;
  files.set(
    `${dir}/Chart.yaml`,
    yaml({
      apiVersion: "v2",
      name: w.name,
      description: w.description,
      type: "application",
      version: CHART_VERSION,
      appVersion: APP_VERSION,
      keywords: ["velaflows", w.role],
      dependencies: [{ name: LIB, version: CHART_VERSION, repository: `file://../${LIB}` }],
    }),
  );
  files.set(`${dir}/values.yaml`, yaml({ ...workloadValues(w, all), global: GLOBAL_DEFAULTS }));
  files.set(`${dir}/values.schema.json`, json(workloadSchema(w.role, `${w.name} chart values`)));
  files.set(`${dir}/templates/all.yaml`, `${GENERATED_YAML}{{ include "velaflows-lib.all" . }}\n`);
  files.set(`${dir}/.helmignore`, "# Generated by scripts/deploy/generate-deploy.ts; do not edit.\n.git/\n*.tgz.prov\n");
}

/** Every chart under helm/ except the hand-written library. */
export function helmFiles(workloads: Workload[], dashboards: Map<string, string>, rulesYaml: string, files: Files): void {
  for (const w of workloads) thinChart(w, workloads, files);
  const services = workloads.filter((w) => w.role === "service");
  const dir = "helm/velaflows";
  files.set(
    `${dir}/Chart.yaml`,
    yaml({
      apiVersion: "v2",
      name: "velaflows",
      description: "The VelaFlows platform: the gateway and every service, their dashboards and alert rules",
      type: "application",
      version: CHART_VERSION,
      appVersion: APP_VERSION,
      keywords: ["velaflows", "crm", "messaging"],
      dependencies: [
        { name: LIB, version: CHART_VERSION, repository: `file://../${LIB}` },
        ...workloads.map((w) => ({ name: w.name, version: CHART_VERSION, repository: `file://../${w.name}`, condition: `${w.name}.enabled` })),
      ],
    }),
  );
  const values: Record<string, unknown> = {
    global: GLOBAL_DEFAULTS,
    // Grafana's dashboard sidecar picks up ConfigMaps with this label.
    dashboards: { enabled: true, labels: { grafana_dashboard: "1" }, annotations: {} },
    // Rendered only where the PrometheusRule CRD exists (prometheus-operator).
    prometheusRule: { enabled: true, labels: {}, runbookBaseUrl: "" },
    // One NetworkPolicy that denies everything to and from the platform's pods; each workload's own policy opens what it needs.
    networkPolicy: { defaultDeny: true },
    gateway: { enabled: true, upstreams: { configMap: "{{ .Release.Name }}-gateway-upstreams" } },
  };
  for (const s of services) values[s.name] = { enabled: true };
  files.set(`${dir}/values.yaml`, yaml(values));
  files.set(`${dir}/values.schema.json`, json(umbrellaSchema(services.map((s) => s.name))));
  files.set(`${dir}/values-production.yaml`, yaml(productionValues(workloads)));
  files.set(`${dir}/.helmignore`, "# Generated by scripts/deploy/generate-deploy.ts; do not edit.\n.git/\n*.tgz.prov\n");
  files.set(`${dir}/templates/gateway-upstreams.yaml`, gatewayUpstreamsTemplate(services));
  files.set(`${dir}/templates/dashboards.yaml`, DASHBOARDS_TEMPLATE);
  files.set(`${dir}/templates/prometheus-rule.yaml`, PROMETHEUS_RULE_TEMPLATE);
  files.set(`${dir}/templates/default-deny.yaml`, DEFAULT_DENY_TEMPLATE);
  files.set(`${dir}/templates/NOTES.txt`, NOTES);
  for (const [name, content] of dashboards) files.set(`${dir}/dashboards/${name}`, content);
  files.set(`${dir}/rules/velaflows.rules.yaml`, rulesYaml);
}

function productionValues(workloads: Workload[]) {
  const spread = [{ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" }];
  const values: Record<string, unknown> = {
    global: { environment: "production", imageRegistry: "registry.example.com", imageTag: APP_VERSION },
  };
  for (const w of workloads) {
    if (w.role === "gateway") {
      values.gateway = {
        autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 12, targetCPUUtilizationPercentage: 65 },
        topologySpreadConstraints: spread,
        logLevel: "info",
        corsOrigins: ["https://app.example.com"],
        ingress: {
          enabled: true,
          className: "nginx",
          hosts: ["api.example.com"],
          tls: [{ secretName: "velaflows-api-tls", hosts: ["api.example.com"] }],
        },
        httpRoute: { enabled: true, parentRefs: [{ name: "public", namespace: "gateway-system" }], hostnames: ["api.example.com"] },
      };
    } else {
      values[w.name] = { replicaCount: 2, topologySpreadConstraints: spread };
    }
  }
  return values;
}

function gatewayUpstreamsTemplate(services: Workload[]): string {
  const lines = [
    GENERATED_YAML.trimEnd(),
    "{{- /* The gateway's <SERVICE>_ADDR for the services this release installs (the gateway chart alone cannot see the other subcharts). */}}",
    "{{- if .Values.gateway.enabled }}",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: {{ .Release.Name }}-gateway-upstreams",
    "  namespace: {{ .Release.Namespace }}",
    "  labels:",
    "    app.kubernetes.io/name: gateway",
    "    app.kubernetes.io/instance: {{ .Release.Name }}",
    "    app.kubernetes.io/part-of: velaflows",
    "    app.kubernetes.io/managed-by: {{ .Release.Service }}",
    "data:",
  ];
  for (const s of services) {
    lines.push(
      `  {{- if ${valuesRef(s.name)}.enabled }}`,
      `  {{- $name := include "velaflows-lib.fullnameFor" (dict "release" .Release.Name "component" "${s.name}" "override" (${valuesRef(s.name)}.fullnameOverride | default "")) }}`,
      `  ${s.name.toUpperCase().replace(/-/g, "_")}_ADDR: {{ include "velaflows-lib.grpcAddress" (dict "fullname" $name "namespace" .Release.Namespace "clusterDomain" .Values.global.clusterDomain "port" ${s.ports.grpc}) | quote }}`,
      "  {{- end }}",
    );
  }
  lines.push("{{- end }}", "");
  return lines.join("\n");
}

/** `.Values.api-tokens` is not a valid template path; `(index .Values "api-tokens")` is. */
function valuesRef(name: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? `.Values.${name}` : `(index .Values "${name}")`;
}

const DASHBOARDS_TEMPLATE = `${GENERATED_YAML}{{- if .Values.dashboards.enabled }}
{{- range $path, $_ := .Files.Glob "dashboards/*.json" }}
{{- $name := base $path | trimSuffix ".json" }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-dashboard-%s" $.Release.Name $name | trunc 63 | trimSuffix "-" }}
  namespace: {{ $.Release.Namespace }}
  labels:
    app.kubernetes.io/name: velaflows-dashboards
    app.kubernetes.io/instance: {{ $.Release.Name }}
    app.kubernetes.io/part-of: velaflows
    app.kubernetes.io/managed-by: {{ $.Release.Service }}
    {{- with $.Values.dashboards.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $.Values.dashboards.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{ base $path }}: |-
    {{- $.Files.Get $path | nindent 4 }}
{{- end }}
{{- end }}
`;

const PROMETHEUS_RULE_TEMPLATE = `${GENERATED_YAML}{{- if and .Values.prometheusRule.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/PrometheusRule") }}
{{- $rules := .Files.Get "rules/velaflows.rules.yaml" | fromYaml }}
{{- $base := .Values.prometheusRule.runbookBaseUrl }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ .Release.Name }}-rules
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: velaflows-rules
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/part-of: velaflows
    app.kubernetes.io/managed-by: {{ .Release.Service }}
    {{- with .Values.prometheusRule.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    {{- range $rules.groups }}
    - name: {{ .name }}
      {{- with .interval }}
      interval: {{ . }}
      {{- end }}
      rules:
        {{- range .rules }}
        {{- $rule := . }}
        {{- if and $base .annotations .annotations.runbook_url }}
        {{- $annotations := merge (dict "runbook_url" (printf "%s/%s" (trimSuffix "/" $base) .annotations.runbook_url)) .annotations }}
        {{- $rule = merge (dict "annotations" $annotations) (omit . "annotations") }}
        {{- end }}
        - {{- toYaml $rule | nindent 10 }}
        {{- end }}
    {{- end }}
{{- end }}
`;

const DEFAULT_DENY_TEMPLATE = `${GENERATED_YAML}{{- if .Values.networkPolicy.defaultDeny }}
# Default deny for every VelaFlows pod; each workload's own NetworkPolicy allows its callers and dependencies.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .Release.Name }}-default-deny
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: velaflows-default-deny
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/part-of: velaflows
    app.kubernetes.io/managed-by: {{ .Release.Service }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/part-of: velaflows
  policyTypes:
    - Ingress
    - Egress
{{- end }}
`;

const NOTES = `VelaFlows {{ .Chart.AppVersion }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.

Each service reads DATABASE_URL from the Secret velaflows-db-<service> (keys username and password),
which this chart never creates: create them first (see the README, "Install on Kubernetes").

  kubectl -n {{ .Release.Namespace }} rollout status deployment -l app.kubernetes.io/instance={{ .Release.Name }}
{{- if .Values.gateway.enabled }}
  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "velaflows-lib.fullnameFor" (dict "release" .Release.Name "component" "gateway" "override" (.Values.gateway.fullnameOverride | default "")) }} 4000:4000
  curl http://127.0.0.1:4000/api/v1/openapi.json
{{- end }}
`;
