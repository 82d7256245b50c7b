// Every metric and label that a dashboard or rule names must be one the code exports. This starts
// the Tags service and the gateway (their own main(), as in production), drives traffic through
// the gateway (successes, caller errors, validation and transcoding refusals, rate-limit rejections,
// an unreachable upstream), scrapes both /metrics, and checks every PromQL expression against what
// was scraped. Every service exports the same families (the kit's), so one service stands for all.
// Tags has no event consumer, so the kit's consumer (subscribeEvents, the code every consuming
// service runs) is driven here on a registry of its own, with one handled and one dead-lettered event.
import { createDataSource, createInProcessBus, createServiceMetrics, newObjectId, runMigrations, subscribeEvents, type RunningService } from "@velaflows/kit";
import { main as startGateway, type RunningGateway } from "@velaflows/gateway";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { analyse, substituteGrafanaVariables } from "./support/promql";
import { allQueries, dashboards, rules } from "./support/queries";

/** Labels Prometheus (and the prometheus-operator's ServiceMonitor) attach to every scraped sample. */
const TARGET_LABELS = new Set(["namespace", "pod", "instance", "job", "container", "endpoint"]);

/**
 * Metrics of external exporters that rules may use although our code does not export them, with
 * their labels. Only kube-state-metrics (deployed with kube-prometheus-stack), for what a process
 * cannot report about itself: restarts of a container that never gets to be scraped.
 */
const EXTERNAL_METRICS = new Map<string, Set<string>>([
  ["kube_pod_container_status_restarts_total", new Set(["namespace", "pod", "container", "uid"])],
]);

/** sample name → label names, from Prometheus text exposition. */
function parseExposition(text: string, into: Map<string, Set<string>>): void {
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      const names = type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === "summary" ? [name!, `${name}_sum`, `${name}_count`] : [name!];
      for (const n of names) if (!into.has(n)) into.set(n, new Set());
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!m) continue;
    const labels = into.get(m[1]!) ?? new Set<string>();
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) labels.add(l[1]!);
    into.set(m[1]!, labels);
  }
}

const exported = new Map<string, Set<string>>();
/** What a query may name: the scrape, plus the allowed external exporters' metrics. */
const known = new Map<string, Set<string>>();
let tags: RunningService | undefined;
let gateway: RunningGateway | undefined;

beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  gateway = await startGateway({
    HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    GATEWAY_DEV_IDENTITY: "true",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    TAGS_ADDR: tags.grpcAddress,
    RATE_LIMIT_GENERAL: "12/60s",
    RATE_LIMIT_IP: "100000/15s",
  });
  const workspaceId = newObjectId();
  const token = await gateway.devIdentity!.mintToken({ userId: newObjectId(), workspaceId, permissions: ["*"] });
  const headers = { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId, "content-type": "application/json" };
  const call = async (method: string, path: string, body?: string, as = headers) => (await fetch(gateway!.url + path, { method, headers: as, body })).status;
  // A second member, whose rate-limit budget is untouched, for the calls after Tags stops.
  const other = { ...headers, authorization: `Bearer ${await gateway.devIdentity!.mintToken({ userId: newObjectId(), workspaceId, permissions: ["*"] })}` };

  const statuses = [
    await call("POST", "/api/v1/tags", JSON.stringify({ name: "Observed", color: "#22c55e" })),
    await call("GET", "/api/v1/tags"),
    await call("GET", `/api/v1/tags/${newObjectId()}`),
    await call("POST", "/api/v1/tags", JSON.stringify({ name: "" })),
    await call("POST", "/api/v1/tags", "{not json"),
    await call("GET", "/api/v1/no-such-route"),
  ];
  for (let i = 0; i < 12; i++) statuses.push(await call("GET", "/api/v1/tags"));
  expect(statuses).toEqual(expect.arrayContaining([201, 200, 404, 422, 400, 429]));
  // Some garbage, so the GC histogram has observations.
  let keep = 0;
  for (let i = 0; i < 300; i++) keep += new Array(50_000).fill(i).length;
  expect(keep).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 100));

  parseExposition(await (await fetch(`http://127.0.0.1:${tags.httpPort}/metrics`)).text(), exported);
  await tags.stop();
  tags = undefined;
  expect(await call("GET", "/api/v1/tags?page=1", undefined, other)).toBe(503);
  parseExposition(await (await fetch(`${gateway.url}/metrics`)).text(), exported);

  // An event consumer: one queue handles the event, the other fails it once and dead-letters it.
  const schema = `observability_consumer_${newObjectId()}`;
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, schema, entities: [], migrations: [], poolSize: 2 });
  await dataSource.initialize();
  const bus = createInProcessBus();
  try {
    await runMigrations(dataSource);
    const consumer = createServiceMetrics("observability-consumer");
    await subscribeEvents(bus, { queue: "observability.ok", patterns: ["#"], dataSource, metrics: consumer, handler: async () => undefined });
    await subscribeEvents(bus, {
      queue: "observability.failing",
      patterns: ["#"],
      dataSource,
      metrics: consumer,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      handler: async () => {
        throw new Error("failing on purpose");
      },
    });
    await bus.publish({ eventId: `evt_${newObjectId()}`, eventType: "tags.tag.created", timestamp: new Date().toISOString(), workspaceId, data: {} });
    for (let i = 0; i < 100 && !/^events_dead_lettered_total\{/m.test(await consumer.registry.metrics()); i++) await new Promise((r) => setTimeout(r, 20));
    parseExposition(await consumer.registry.metrics(), exported);
  } finally {
    await bus.close();
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }
  for (const [name, labels] of [...exported, ...EXTERNAL_METRICS]) known.set(name, labels);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await tags?.stop();
});

test("the scrape holds the families the dashboards are built on", () => {
  for (const name of ["rpc_server_call_duration_seconds_count", "http_server_request_duration_seconds_bucket", "gateway_rate_limit_rejections_total", "nodejs_eventloop_lag_p99_seconds", "process_start_time_seconds"]) {
    expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
  }
  expect(exported.get("process_start_time_seconds")).toContain("service");
  expect([...(exported.get("db_client_connection_count") ?? [])].sort()).toEqual(["db_client_connection_pool_name", "db_client_connection_state", "service"]);
  expect(exported.get("outbox_lag_seconds")).toContain("service");
  for (const name of ["events_consumed_total", "events_failed_total", "events_dead_lettered_total"]) expect({ name, labels: exported.get(name)?.has("queue") }).toEqual({ name, labels: true });
});

test("the external exporters' metrics are only kube-state-metrics', and none of them is ours", () => {
  for (const name of EXTERNAL_METRICS.keys()) {
    expect(name).toMatch(/^kube_/);
    expect(exported.has(name)).toBe(false);
  }
});

test("every metric and label named in a dashboard or a rule is exported", () => {
  const file = rules();
  const recordings = new Map(file.groups.flatMap((g) => g.rules.filter((r) => r.record).map((r) => [r.record!, r.expr] as const)));
  const labelsOf = (expr: string): Set<string> => {
    const use = analyse(substituteGrafanaVariables(expr));
    const labels = new Set(TARGET_LABELS);
    for (const m of use.metrics) for (const l of m.includes(":") ? labelsOf(recordings.get(m) ?? "") : (known.get(m) ?? [])) labels.add(l);
    return labels;
  };
  const problems: string[] = [];
  for (const q of allQueries()) {
    const use = analyse(substituteGrafanaVariables(q.expr));
    for (const metric of use.metrics) {
      if (metric.includes(":")) {
        if (!recordings.has(metric)) problems.push(`${q.source}: ${metric} is neither exported nor recorded`);
        continue;
      }
      const labels = known.get(metric);
      if (!labels) {
        problems.push(`${q.source}: metric ${metric} is not exported`);
        continue;
      }
      for (const l of use.matchers.get(metric) ?? []) if (!labels.has(l) && !TARGET_LABELS.has(l)) problems.push(`${q.source}: ${metric} has no label ${l}`);
    }
    const available = labelsOf(q.expr);
    for (const l of use.grouping) if (!available.has(l)) problems.push(`${q.source}: groups by ${l}, which none of its metrics has`);
    if (q.listsLabel && !available.has(q.listsLabel)) problems.push(`${q.source}: lists label ${q.listsLabel}, which ${use.metrics.join(", ")} lacks`);
  }
  expect(problems).toEqual([]);
});

test("every label a legend or an alert annotation prints is there", () => {
  const problems: string[] = [];
  for (const { file, json } of dashboards()) {
    for (const p of json.panels as any[]) {
      for (const t of p.targets ?? []) {
        const use = analyse(substituteGrafanaVariables(t.expr));
        const aggregated = use.grouping.length > 0;
        const labels = new Set(aggregated ? use.grouping : [...TARGET_LABELS, ...use.metrics.flatMap((m) => [...(known.get(m) ?? [])])]);
        for (const m of (t.legendFormat as string).matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)) if (!labels.has(m[1]!)) problems.push(`${file} "${p.title}": legend {{${m[1]}}} is not a label of ${t.expr}`);
      }
    }
  }
  for (const g of rules().groups) {
    for (const r of g.rules.filter((x) => x.alert)) {
      const use = analyse(r.expr);
      const labels = new Set(use.grouping.length ? use.grouping : [...TARGET_LABELS, ...use.metrics.flatMap((m) => [...(known.get(m) ?? [])])]);
      for (const text of Object.values(r.annotations ?? {})) {
        for (const m of text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) if (!labels.has(m[1]!)) problems.push(`alert ${r.alert}: prints $labels.${m[1]}, which its expression does not keep`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test("a metric the code does not export is refused (so the check above means something)", () => {
  expect(known.has("velaflows_outbox_lag_seconds")).toBe(false);
  expect(analyse("sum(rate(velaflows_outbox_lag_seconds[5m]))").metrics).toEqual(["velaflows_outbox_lag_seconds"]);
});
