// Grafana dashboards and Prometheus rules as code. Every metric and label they name must be one the
// services and the gateway export (deploy/tests/observability-metrics.spec.ts scrapes them to check).
// Metrics not exported yet (db_client_operation_duration_seconds: no clean timing hook in typeorm/pg)
// get their dashboard and rules here, as one more entry in DASHBOARDS and the rule groups, once the
// code exports them; the test refuses them before. The one exception is kube-state-metrics'
// kube_pod_container_status_restarts_total, on the test's documented allow-list of external exporters.
import { json, yaml } from "./output";
import type { Workload } from "./workloads";

/** gRPC codes that are the server's fault (OpenTelemetry RPC conventions); the rest are the caller's. */
export const SERVER_ERROR_CODES = ["UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"];
const SERVER_ERRORS = SERVER_ERROR_CODES.join("|");

/** Service level objectives of the gateway (30-day window). */
export const SLO = {
  availability: 0.999,
  /** Share of requests faster than latencyThresholdSeconds (a histogram bucket boundary). */
  latency: 0.99,
  latencyThresholdSeconds: "0.5",
};

const RUNBOOK = "observability/runbooks.md";

/** The outbox lag (age of the oldest unpublished event) that alerts once it lasts OUTBOX_LAG_ALERT_FOR. */
export const OUTBOX_LAG_ALERT_SECONDS = 60;
const OUTBOX_LAG_ALERT_FOR = "5m";

// ---------------------------------------------------------------------------------------------
// Dashboards

type Panel = Record<string, unknown>;
interface Target {
  expr: string;
  legend: string;
}

const DS = { type: "prometheus", uid: "${datasource}" };
const NS = 'namespace=~"$namespace"';

class Layout {
  private id = 1;
  private x = 0;
  private y = 0;
  readonly panels: Panel[] = [];

  row(title: string): void {
    if (this.x !== 0) this.newLine(8);
    this.panels.push({ id: this.id++, type: "row", title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: this.y }, panels: [] });
    this.y += 1;
  }

  timeseries(title: string, unit: string, targets: Target[], options: { w?: number; description?: string; stack?: boolean } = {}): void {
    this.add(options.w ?? 12, 8, {
      type: "timeseries",
      title,
      description: options.description ?? "",
      datasource: DS,
      fieldConfig: {
        defaults: {
          unit,
          min: 0,
          custom: { drawStyle: "line", lineWidth: 1, fillOpacity: options.stack ? 30 : 10, showPoints: "never", stacking: { mode: options.stack ? "normal" : "none", group: "A" } },
        },
        overrides: [],
      },
      options: { legend: { displayMode: "table", placement: "bottom", calcs: ["mean", "max", "lastNotNull"] }, tooltip: { mode: "multi", sort: "desc" } },
      targets: this.targets(targets),
    });
  }

  stat(title: string, unit: string, target: Target, thresholds: Array<{ color: string; value: number | null }>, description = ""): void {
    this.add(6, 4, {
      type: "stat",
      title,
      description,
      datasource: DS,
      fieldConfig: { defaults: { unit, thresholds: { mode: "absolute", steps: thresholds } }, overrides: [] },
      options: { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "value", graphMode: "area", textMode: "auto" },
      targets: this.targets([target]),
    });
  }

  private targets(targets: Target[]) {
    return targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: DS, expr: t.expr, legendFormat: t.legend, range: true, instant: false }));
  }

  private add(w: number, h: number, panel: Panel): void {
    if (this.x + w > 24) this.newLine(h);
    this.panels.push({ id: this.id++, gridPos: { h, w, x: this.x, y: this.y }, ...panel });
    this.x += w;
    if (this.x >= 24) this.newLine(h);
  }

  private newLine(h: number): void {
    this.x = 0;
    this.y += h;
  }
}

function queryVariable(name: string, label: string, query: string, options: { includeAll?: boolean; multi?: boolean } = {}) {
  return {
    name,
    label,
    type: "query",
    datasource: DS,
    definition: query,
    query: { query, refId: `${name}-variable` },
    refresh: 2,
    sort: 1,
    includeAll: options.includeAll ?? false,
    multi: options.multi ?? false,
    ...(options.includeAll ? { allValue: ".*" } : {}),
    current: {},
    hide: 0,
    options: [],
    regex: "",
    skipUrlSync: false,
  };
}

const DATASOURCE_VARIABLE = { name: "datasource", label: "Data source", type: "datasource", query: "prometheus", current: {}, hide: 0, options: [], refresh: 1, regex: "", skipUrlSync: false };
const NAMESPACE_VARIABLE = queryVariable("namespace", "Namespace", "label_values(process_start_time_seconds, namespace)", { includeAll: true, multi: true });

function dashboard(uid: string, title: string, description: string, variables: unknown[], layout: Layout) {
  return {
    uid,
    title,
    description,
    tags: ["velaflows"],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    timezone: "browser",
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    annotations: { list: [] },
    links: [{ title: "VelaFlows", type: "dashboards", tags: ["velaflows"], asDropdown: true, includeVars: true, keepTime: true }],
    templating: { list: [DATASOURCE_VARIABLE, NAMESPACE_VARIABLE, ...variables] },
    panels: layout.panels,
  };
}

const quantile = (q: number, metric: string, selector: string, by: string) =>
  `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`;
/** The ratio of `num` to `den`, 0 (not "no data") when there is traffic but no errors. */
const ratio = (num: string, den: string) => `(${num} or 0 * ${den}) / ${den}`;

function platformOverview() {
  const l = new Layout();
  const http = `http_server_request_duration_seconds_count{${NS}}`;
  const rpc = `rpc_server_call_duration_seconds_count{${NS}}`;
  l.stat("Gateway requests/s", "reqps", { expr: `sum(rate(${http}[$__rate_interval]))`, legend: "requests/s" }, [{ color: "blue", value: null }]);
  l.stat(
    "Gateway 5xx ratio",
    "percentunit",
    { expr: ratio(`sum(rate(http_server_request_duration_seconds_count{${NS}, http_response_status_code=~"5.."}[$__rate_interval]))`, `sum(rate(${http}[$__rate_interval]))`), legend: "5xx" },
    [{ color: "green", value: null }, { color: "orange", value: 0.001 }, { color: "red", value: 0.01 }],
  );
  l.stat("Gateway p95 latency", "s", { expr: quantile(0.95, "http_server_request_duration_seconds", NS, ""), legend: "p95" }, [
    { color: "green", value: null },
    { color: "orange", value: 0.25 },
    { color: "red", value: Number(SLO.latencyThresholdSeconds) },
  ]);
  l.stat("Pods reporting", "none", { expr: `count(process_start_time_seconds{${NS}})`, legend: "pods" }, [{ color: "blue", value: null }]);
  l.row("Services");
  l.timeseries("gRPC calls/s by service", "reqps", [{ expr: `sum by (service) (rate(${rpc}[$__rate_interval]))`, legend: "{{service}}" }], { stack: true });
  l.timeseries(
    "Server error ratio by service",
    "percentunit",
    [
      {
        expr: ratio(
          `sum by (service) (rate(rpc_server_call_duration_seconds_count{${NS}, rpc_response_status_code=~"${SERVER_ERRORS}"}[$__rate_interval]))`,
          `sum by (service) (rate(${rpc}[$__rate_interval]))`,
        ),
        legend: "{{service}}",
      },
    ],
    { description: `Only server errors count: ${SERVER_ERROR_CODES.join(", ")}.` },
  );
  l.timeseries("p95 call duration by service", "s", [{ expr: quantile(0.95, "rpc_server_call_duration_seconds", NS, "service"), legend: "{{service}}" }]);
  l.timeseries("Event-loop lag p99 by service (worst pod)", "s", [{ expr: `max by (service) (nodejs_eventloop_lag_p99_seconds{${NS}})`, legend: "{{service}}" }]);
  l.timeseries("Resident memory by service", "bytes", [{ expr: `sum by (service) (process_resident_memory_bytes{${NS}})`, legend: "{{service}}" }], { stack: true });
  l.timeseries("Restarts by pod (1h)", "none", [{ expr: `changes(process_start_time_seconds{${NS}}[1h]) > 0`, legend: "{{service}} {{pod}}" }]);
  return dashboard("velaflows-overview", "VelaFlows / Platform overview", "The gateway's traffic and errors, and every service's RED and runtime at a glance.", [], l);
}

function gatewayByRoute() {
  const l = new Layout();
  const sel = `${NS}, http_route=~"$route"`;
  const count = `http_server_request_duration_seconds_count{${sel}}`;
  l.row("Traffic");
  l.timeseries("Requests/s by status class", "reqps", ["2", "3", "4", "5"].map((c) => ({ expr: `sum(rate(http_server_request_duration_seconds_count{${sel}, http_response_status_code=~"${c}.."}[$__rate_interval]))`, legend: `${c}xx` })), { stack: true });
  l.timeseries("Requests/s by route", "reqps", [{ expr: `sum by (http_request_method, http_route) (rate(${count}[$__rate_interval]))`, legend: "{{http_request_method}} {{http_route}}" }]);
  l.timeseries("5xx ratio by route", "percentunit", [
    {
      expr: ratio(
        `sum by (http_route) (rate(http_server_request_duration_seconds_count{${sel}, http_response_status_code=~"5.."}[$__rate_interval]))`,
        `sum by (http_route) (rate(${count}[$__rate_interval]))`,
      ),
      legend: "{{http_route}}",
    },
  ]);
  l.timeseries("4xx by route and status", "reqps", [
    { expr: `sum by (http_route, http_response_status_code) (rate(http_server_request_duration_seconds_count{${sel}, http_response_status_code=~"4.."}[$__rate_interval]))`, legend: "{{http_route}} {{http_response_status_code}}" },
  ]);
  l.row("Latency");
  l.timeseries("p50 / p95 / p99", "s", [
    { expr: quantile(0.5, "http_server_request_duration_seconds", sel, ""), legend: "p50" },
    { expr: quantile(0.95, "http_server_request_duration_seconds", sel, ""), legend: "p95" },
    { expr: quantile(0.99, "http_server_request_duration_seconds", sel, ""), legend: "p99" },
  ]);
  l.timeseries("p95 by route", "s", [{ expr: quantile(0.95, "http_server_request_duration_seconds", sel, "http_route"), legend: "{{http_route}}" }]);
  l.row("Edge");
  l.timeseries("Requests in flight", "none", [{ expr: `sum by (http_request_method) (http_server_active_requests{${NS}})`, legend: "{{http_request_method}}" }]);
  l.timeseries("Rate-limit rejections/s by class", "reqps", [{ expr: `sum by (rate_limit_class) (rate(gateway_rate_limit_rejections_total{${NS}}[$__rate_interval]))`, legend: "{{rate_limit_class}}" }]);
  l.timeseries("Upstream errors/s by service and code", "reqps", [
    { expr: `sum by (upstream, rpc_response_status_code) (rate(gateway_upstream_errors_total{${NS}}[$__rate_interval]))`, legend: "{{upstream}} {{rpc_response_status_code}}" },
  ]);
  l.timeseries("Transcoding refusals/s by reason", "reqps", [{ expr: `sum by (reason) (rate(gateway_transcoding_errors_total{${NS}}[$__rate_interval]))`, legend: "{{reason}}" }]);
  const route = queryVariable("route", "Route", `label_values(http_server_request_duration_seconds_count{${NS}}, http_route)`, { includeAll: true, multi: true });
  return dashboard("velaflows-gateway", "VelaFlows / Gateway by route", "REST traffic through the gateway by route template and status class, latency, rate limits, upstream and transcoding errors.", [route], l);
}

function serviceRed() {
  const l = new Layout();
  const sel = `${NS}, service="$service", rpc_method=~"$method"`;
  const count = `rpc_server_call_duration_seconds_count{${sel}}`;
  l.row("Rate and errors");
  l.timeseries("Calls/s by method", "reqps", [{ expr: `sum by (rpc_method) (rate(${count}[$__rate_interval]))`, legend: "{{rpc_method}}" }], { stack: true });
  l.timeseries("Calls/s by status code", "reqps", [{ expr: `sum by (rpc_response_status_code) (rate(${count}[$__rate_interval]))`, legend: "{{rpc_response_status_code}}" }], { stack: true });
  l.timeseries(
    "Server error ratio by method",
    "percentunit",
    [
      {
        expr: ratio(
          `sum by (rpc_method) (rate(rpc_server_call_duration_seconds_count{${sel}, rpc_response_status_code=~"${SERVER_ERRORS}"}[$__rate_interval]))`,
          `sum by (rpc_method) (rate(${count}[$__rate_interval]))`,
        ),
        legend: "{{rpc_method}}",
      },
    ],
    { description: `Only server errors count: ${SERVER_ERROR_CODES.join(", ")}. Caller errors (INVALID_ARGUMENT, NOT_FOUND, ...) are in "Calls/s by status code".` },
  );
  l.timeseries("Server errors/s by type", "reqps", [{ expr: `sum by (error_type) (rate(rpc_server_call_duration_seconds_count{${sel}, error_type!=""}[$__rate_interval]))`, legend: "{{error_type}}" }]);
  l.row("Duration");
  l.timeseries("p50 / p95 / p99", "s", [
    { expr: quantile(0.5, "rpc_server_call_duration_seconds", sel, ""), legend: "p50" },
    { expr: quantile(0.95, "rpc_server_call_duration_seconds", sel, ""), legend: "p95" },
    { expr: quantile(0.99, "rpc_server_call_duration_seconds", sel, ""), legend: "p99" },
  ]);
  l.timeseries("p95 by method", "s", [{ expr: quantile(0.95, "rpc_server_call_duration_seconds", sel, "rpc_method"), legend: "{{rpc_method}}" }]);
  l.timeseries("Calls in flight by method", "none", [{ expr: `sum by (rpc_method) (rpc_server_active_calls{${NS}, service="$service", rpc_method=~"$method"})`, legend: "{{rpc_method}}" }]);
  const service = queryVariable("service", "Service", `label_values(rpc_server_call_duration_seconds_count{${NS}}, service)`);
  const method = queryVariable("method", "Method", `label_values(rpc_server_call_duration_seconds_count{${NS}, service="$service"}, rpc_method)`, { includeAll: true, multi: true });
  return dashboard("velaflows-service-red", "VelaFlows / Service RED", "Rate, errors (server errors only) and duration of one service's gRPC methods.", [service, method], l);
}

function nodeRuntime() {
  const l = new Layout();
  const sel = `${NS}, service="$service", pod=~"$pod"`;
  l.row("Event loop");
  l.timeseries("Event-loop lag p99 by pod", "s", [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${sel}})`, legend: "{{pod}}" }]);
  l.timeseries("Event-loop lag mean and max by pod", "s", [
    { expr: `max by (pod) (nodejs_eventloop_lag_mean_seconds{${sel}})`, legend: "mean {{pod}}" },
    { expr: `max by (pod) (nodejs_eventloop_lag_max_seconds{${sel}})`, legend: "max {{pod}}" },
  ]);
  l.row("Memory and GC");
  l.timeseries("Heap used and total by pod", "bytes", [
    { expr: `sum by (pod) (nodejs_heap_size_used_bytes{${sel}})`, legend: "used {{pod}}" },
    { expr: `sum by (pod) (nodejs_heap_size_total_bytes{${sel}})`, legend: "total {{pod}}" },
  ]);
  l.timeseries("Resident memory by pod", "bytes", [{ expr: `sum by (pod) (process_resident_memory_bytes{${sel}})`, legend: "{{pod}}" }]);
  l.timeseries("GC time per second by kind", "s", [{ expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{${sel}}[$__rate_interval]))`, legend: "{{kind}}" }]);
  l.timeseries("GC runs per second by kind", "ops", [{ expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_count{${sel}}[$__rate_interval]))`, legend: "{{kind}}" }]);
  l.row("Process");
  l.timeseries("CPU seconds per second by pod", "s", [{ expr: `sum by (pod) (rate(process_cpu_seconds_total{${sel}}[$__rate_interval]))`, legend: "{{pod}}" }]);
  l.timeseries("Active handles by pod", "none", [{ expr: `sum by (pod) (nodejs_active_handles_total{${sel}})`, legend: "{{pod}}" }]);
  l.timeseries("Open file descriptors by pod", "none", [{ expr: `sum by (pod) (process_open_fds{${sel}})`, legend: "{{pod}}" }]);
  l.timeseries("Restarts (1h) by pod", "none", [{ expr: `changes(process_start_time_seconds{${sel}}[1h])`, legend: "{{pod}}" }]);
  const service = queryVariable("service", "Service", `label_values(nodejs_eventloop_lag_p99_seconds{${NS}}, service)`);
  const pod = queryVariable("pod", "Pod", `label_values(nodejs_eventloop_lag_p99_seconds{${NS}, service="$service"}, pod)`, { includeAll: true, multi: true });
  return dashboard("velaflows-node-runtime", "VelaFlows / Node runtime", "Event-loop lag, heap, GC, CPU and restarts of one service's pods (prom-client runtime metrics).", [service, pod], l);
}

function postgresPool() {
  const l = new Layout();
  const sel = `${NS}, service="$service", pod=~"$pod"`;
  const conns = (state: string) => `db_client_connection_count{${sel}, db_client_connection_state="${state}"}`;
  l.stat("Connections used", "none", { expr: `sum(${conns("used")})`, legend: "used" }, [{ color: "blue", value: null }]);
  l.stat("Connections idle", "none", { expr: `sum(${conns("idle")})`, legend: "idle" }, [{ color: "blue", value: null }]);
  l.stat("Requests waiting for a connection", "none", { expr: `sum(db_client_connection_pending_requests{${sel}})`, legend: "pending" }, [
    { color: "green", value: null },
    { color: "orange", value: 1 },
    { color: "red", value: 10 },
  ]);
  l.stat(
    "Pool use (worst pod)",
    "percentunit",
    { expr: `max(sum by (pod) (${conns("used")}) / sum by (pod) (db_client_connection_count{${sel}}))`, legend: "used / open" },
    [{ color: "green", value: null }, { color: "orange", value: 0.8 }, { color: "red", value: 0.95 }],
    "Used connections over open ones; the pool opens connections up to DATABASE_POOL_SIZE.",
  );
  l.row("Pool");
  l.timeseries("Connections by state", "none", [{ expr: `sum by (db_client_connection_state) (db_client_connection_count{${sel}})`, legend: "{{db_client_connection_state}}" }], { stack: true });
  l.timeseries("Used connections by pod", "none", [{ expr: `sum by (pod) (${conns("used")})`, legend: "{{pod}}" }]);
  l.timeseries("Requests waiting for a connection by pod", "none", [{ expr: `sum by (pod) (db_client_connection_pending_requests{${sel}})`, legend: "{{pod}}" }], {
    description: "Callers queued because every connection is in use: raise DATABASE_POOL_SIZE or the replicas, or find the slow queries holding them.",
  });
  l.timeseries("Open connections by service (all pods)", "none", [{ expr: `sum by (service) (db_client_connection_count{${NS}})`, legend: "{{service}}" }], {
    description: "Against PostgreSQL's max_connections: every pod of every service holds up to its DATABASE_POOL_SIZE.",
  });
  const service = queryVariable("service", "Service", `label_values(db_client_connection_count{${NS}}, service)`);
  const pod = queryVariable("pod", "Pod", `label_values(db_client_connection_count{${NS}, service="$service"}, pod)`, { includeAll: true, multi: true });
  return dashboard(
    "velaflows-postgres-pool",
    "VelaFlows / PostgreSQL pool",
    "Each service's PostgreSQL connection pool: connections in use and idle, and requests waiting for one (read from the pg Pool at scrape time). Query durations are not exported yet.",
    [service, pod],
    l,
  );
}

function events() {
  const l = new Layout();
  const svc = `${NS}, service=~"$service"`;
  l.stat("Oldest unpublished outbox event (worst)", "s", { expr: `max(outbox_lag_seconds{${svc}})`, legend: "lag" }, [
    { color: "green", value: null },
    { color: "orange", value: 10 },
    { color: "red", value: OUTBOX_LAG_ALERT_SECONDS },
  ]);
  l.stat("Published/s", "ops", { expr: `sum(rate(events_published_total{${svc}}[$__rate_interval]))`, legend: "published" }, [{ color: "blue", value: null }]);
  l.stat("Consumed/s", "ops", { expr: `sum(rate(events_consumed_total{${svc}}[$__rate_interval]))`, legend: "consumed" }, [{ color: "blue", value: null }]);
  l.stat("Dead-lettered (1h)", "none", { expr: `sum(increase(events_dead_lettered_total{${svc}}[1h]))`, legend: "dead-lettered" }, [
    { color: "green", value: null },
    { color: "red", value: 1 },
  ]);
  l.row("Outbox");
  l.timeseries("Outbox lag by pod", "s", [{ expr: `max by (service, pod) (outbox_lag_seconds{${svc}})`, legend: "{{service}} {{pod}}" }], {
    description: "Age of the oldest outbox event not yet published to the bus (0 when the outbox is empty).",
  });
  l.timeseries("Published/s by type", "ops", [{ expr: `sum by (service, event_type) (rate(events_published_total{${svc}}[$__rate_interval]))`, legend: "{{service}} {{event_type}}" }], { stack: true });
  l.row("Consumers");
  l.timeseries("Consumed/s by queue", "ops", [{ expr: `sum by (queue) (rate(events_consumed_total{${svc}}[$__rate_interval]))`, legend: "{{queue}}" }], { stack: true });
  l.timeseries("Consumed/s by queue and type", "ops", [{ expr: `sum by (queue, event_type) (rate(events_consumed_total{${svc}}[$__rate_interval]))`, legend: "{{queue}} {{event_type}}" }]);
  l.timeseries("Failed attempts/s by queue and type", "ops", [{ expr: `sum by (queue, event_type) (rate(events_failed_total{${svc}}[$__rate_interval]))`, legend: "{{queue}} {{event_type}}" }], {
    description: "Handler attempts that threw; each is retried with backoff until the last attempt, then dead-lettered.",
  });
  l.timeseries("Dead-lettered by queue", "none", [{ expr: `sum by (queue) (increase(events_dead_lettered_total{${svc}}[$__rate_interval]))`, legend: "{{queue}}" }]);
  const service = queryVariable("service", "Service", `label_values(outbox_lag_seconds{${NS}}, service)`, { includeAll: true, multi: true });
  return dashboard("velaflows-events", "VelaFlows / Events", "The event backbone: outbox lag and publish rate per service, consumers' rate, failed attempts and dead letters per queue.", [service], l);
}

/** File name → dashboard JSON. */
export function dashboards(_workloads: Workload[]): Map<string, string> {
  const DASHBOARDS = [
    ["platform-overview.json", platformOverview()],
    ["gateway-by-route.json", gatewayByRoute()],
    ["service-red.json", serviceRed()],
    ["node-runtime.json", nodeRuntime()],
    ["postgres-pool.json", postgresPool()],
    ["events.json", events()],
  ] as const;
  return new Map(DASHBOARDS.map(([name, d]) => [name, json(d)]));
}

// ---------------------------------------------------------------------------------------------
// Prometheus rules

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];
/** Multi-window, multi-burn-rate pairs (Google SRE workbook, chapter 5): [long, short, burn rate, severity]. */
const BURN_PAIRS: Array<[string, string, number, "critical" | "warning"]> = [
  ["1h", "5m", 14.4, "critical"],
  ["6h", "30m", 6, "critical"],
  ["1d", "2h", 3, "warning"],
  ["3d", "6h", 1, "warning"],
];

const num = (n: number) => String(Math.round(n * 1e9) / 1e9);

function anchor(alert: string): string {
  return `${RUNBOOK}#${alert.toLowerCase()}`;
}

function burnRateAlerts(name: string, recordPrefix: string, budget: number, what: string): Rule[] {
  const rules: Rule[] = [];
  for (const severity of ["critical", "warning"] as const) {
    const pairs = BURN_PAIRS.filter((p) => p[3] === severity);
    const expr = pairs
      .map(([long, short, rate]) => `(${recordPrefix}:ratio_rate${long} > (${num(rate)} * ${num(budget)}) and ${recordPrefix}:ratio_rate${short} > (${num(rate)} * ${num(budget)}))`)
      .join("\nor\n");
    rules.push({
      alert: name,
      expr,
      for: severity === "critical" ? "2m" : "15m",
      labels: { severity, slo: recordPrefix.split(":")[1]! },
      annotations: {
        summary: `The gateway is burning its ${what} error budget ${severity === "critical" ? "fast" : "steadily"}`,
        description: `At this rate the 30-day ${what} budget (${num(budget * 100)} % of requests) is spent in ${severity === "critical" ? "under 2 days" : "under 10 days"}. Windows: ${pairs.map((p) => `${p[0]}/${p[1]} above ${p[2]}x`).join(", ")}.`,
        runbook_url: anchor(name),
      },
    });
  }
  return rules;
}

/** `containers`: a regular expression of our containers' names (each workload's container is named after it). */
function ruleGroups(containers: string) {
  const httpCount = "http_server_request_duration_seconds_count";
  const availability: Rule[] = WINDOWS.map((w) => ({
    record: `velaflows:gateway_availability:ratio_rate${w}`,
    expr: `sum(rate(${httpCount}{http_response_status_code=~"5.."}[${w}]))\n/\nsum(rate(${httpCount}[${w}]))`,
  }));
  const latency: Rule[] = WINDOWS.map((w) => ({
    record: `velaflows:gateway_latency:ratio_rate${w}`,
    expr: `1 - (\n  sum(rate(http_server_request_duration_seconds_bucket{le="${SLO.latencyThresholdSeconds}"}[${w}]))\n  /\n  sum(rate(${httpCount}[${w}]))\n)`,
  }));
  const rpcCount = "rpc_server_call_duration_seconds_count";
  return {
    groups: [
      { name: "velaflows-gateway-slo-recording", interval: "30s", rules: [...availability, ...latency] },
      {
        name: "velaflows-gateway-slo-alerts",
        rules: [
          ...burnRateAlerts("GatewayAvailabilityBudgetBurn", "velaflows:gateway_availability", 1 - SLO.availability, "availability"),
          ...burnRateAlerts("GatewayLatencyBudgetBurn", "velaflows:gateway_latency", 1 - SLO.latency, `latency (under ${SLO.latencyThresholdSeconds} s)`),
        ],
      },
      {
        name: "velaflows-services",
        rules: [
          {
            record: "velaflows:rpc_server_errors:ratio_rate5m",
            expr: `sum by (namespace, service) (rate(${rpcCount}{rpc_response_status_code=~"${SERVER_ERRORS}"}[5m]))\n/\nsum by (namespace, service) (rate(${rpcCount}[5m]))`,
          },
          {
            alert: "ServiceServerErrorRatioHigh",
            expr: `velaflows:rpc_server_errors:ratio_rate5m > 0.05\nand\nsum by (namespace, service) (rate(${rpcCount}[5m])) > 0.1`,
            for: "10m",
            labels: { severity: "critical" },
            annotations: {
              summary: "{{ $labels.service }} answers more than 5 % of its calls with server errors",
              description: `{{ $labels.service }} in {{ $labels.namespace }}: {{ $value | humanizePercentage }} of calls end in ${SERVER_ERROR_CODES.join(", ")} over 5 minutes (caller errors such as INVALID_ARGUMENT or NOT_FOUND do not count).`,
              runbook_url: anchor("ServiceServerErrorRatioHigh"),
            },
          },
          {
            alert: "GatewayUpstreamErrors",
            expr: "sum by (namespace, upstream, rpc_response_status_code) (rate(gateway_upstream_errors_total[5m])) > 0.5",
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
              summary: "The gateway's calls to {{ $labels.upstream }} fail with {{ $labels.rpc_response_status_code }}",
              description: "{{ $value | humanize }} failed calls per second from the gateway to {{ $labels.upstream }} ({{ $labels.rpc_response_status_code }}) over 5 minutes.",
              runbook_url: anchor("GatewayUpstreamErrors"),
            },
          },
        ],
      },
      {
        name: "velaflows-runtime",
        rules: [
          {
            alert: "NodeEventLoopLagHigh",
            expr: "max by (namespace, service, pod) (nodejs_eventloop_lag_p99_seconds) > 0.2",
            for: "10m",
            labels: { severity: "warning" },
            annotations: {
              summary: "{{ $labels.pod }} ({{ $labels.service }}) has a blocked event loop",
              description: "The event loop's p99 lag has stayed above 200 ms for 10 minutes: {{ $value | humanizeDuration }}. Every call on this pod waits that long before it starts.",
              runbook_url: anchor("NodeEventLoopLagHigh"),
            },
          },
          {
            alert: "PodRestarting",
            expr: "changes(process_start_time_seconds[1h]) > 2",
            labels: { severity: "warning" },
            annotations: {
              summary: "{{ $labels.pod }} ({{ $labels.service }}) restarted {{ $value }} times in an hour",
              description: "The process start time of {{ $labels.pod }} changed {{ $value }} times in the last hour: it is crashing, running out of memory or failing its liveness probe.",
              runbook_url: anchor("PodRestarting"),
            },
          },
          {
            alert: "PodContainerRestarting",
            expr: `increase(kube_pod_container_status_restarts_total{container=~"${containers}"}[1h]) > 2`,
            labels: { severity: "warning" },
            annotations: {
              summary: "Container {{ $labels.container }} of {{ $labels.pod }} restarted {{ $value | humanize }} times in an hour",
              description: "kube-state-metrics counts {{ $value | humanize }} restarts of {{ $labels.container }} in {{ $labels.pod }} ({{ $labels.namespace }}) over the last hour, including crashes before the process could be scraped (a crash loop at start-up).",
              runbook_url: anchor("PodContainerRestarting"),
            },
          },
        ],
      },
      {
        name: "velaflows-events",
        rules: [
          {
            alert: "OutboxLagHigh",
            expr: `max by (namespace, service) (outbox_lag_seconds) > ${OUTBOX_LAG_ALERT_SECONDS}`,
            for: OUTBOX_LAG_ALERT_FOR,
            labels: { severity: "warning" },
            annotations: {
              summary: "{{ $labels.service }} is not publishing its outbox",
              description: `The oldest unpublished outbox event of {{ $labels.service }} in {{ $labels.namespace }} is {{ $value | humanizeDuration }} old (over ${OUTBOX_LAG_ALERT_SECONDS} s for ${OUTBOX_LAG_ALERT_FOR}): consumers and webhooks see its changes late.`,
              runbook_url: anchor("OutboxLagHigh"),
            },
          },
          {
            alert: "EventsDeadLettered",
            expr: "sum by (namespace, service, queue) (increase(events_dead_lettered_total[10m])) > 0",
            labels: { severity: "warning" },
            annotations: {
              summary: "Events were dead-lettered on {{ $labels.queue }}",
              description: "{{ $value | humanize }} events went to the dead-letter queue of {{ $labels.queue }} ({{ $labels.service }}, {{ $labels.namespace }}) in the last 10 minutes, after their last failed attempt: their effects are missing until they are replayed.",
              runbook_url: anchor("EventsDeadLettered"),
            },
          },
        ],
      },
    ],
  };
}

/** The Prometheus rule file (also embedded, as a PrometheusRule, by the umbrella chart). */
export function rulesYaml(workloads: Workload[]): string {
  return yaml(ruleGroups([...new Set(workloads.map((w) => w.name))].sort().join("|")));
}
