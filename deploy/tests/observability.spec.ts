// observability/: every PromQL expression parses (Prometheus's grammar), alert rules carry runbooks
// that exist, the server-error ratio counts only server-error codes, the SLO alerts are multi-window
// burn rates, the dashboards have the promised shape, and the collector configuration is wired.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { SERVER_ERROR_CODES } from "../../scripts/deploy/observability";
import { analyse, substituteGrafanaVariables } from "./support/promql";
import { allQueries, dashboards, rules } from "./support/queries";
import { REPO } from "./support/tools";

test("every PromQL expression in the dashboards and rules parses", () => {
  const queries = allQueries();
  expect(queries.length).toBeGreaterThan(40);
  const failures = queries.flatMap((q) => analyse(substituteGrafanaVariables(q.expr)).errors.map((e) => `${q.source}: ${e}`));
  expect(failures).toEqual([]);
});

test("the parser refuses a typo (so the test above means something)", () => {
  expect(analyse("sum(rate(http_server_request_duration_seconds_count[5m])").errors).not.toEqual([]);
  expect(analyse('sum by (service (rate(x[5m]))').errors).not.toEqual([]);
  expect(analyse("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))").errors).toEqual([]);
});

test("server-error ratios count exactly UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS", () => {
  const wrong = allQueries().flatMap((q) => {
    const matches = [...q.expr.matchAll(/rpc_response_status_code\s*(=~|!~|=|!=)\s*"([^"]*)"/g)];
    return matches.filter((m) => m[1] !== "=~" || JSON.stringify(m[2]!.split("|").sort()) !== JSON.stringify([...SERVER_ERROR_CODES].sort())).map((m) => `${q.source}: ${m[0]}`);
  });
  expect(wrong).toEqual([]);
  expect(allQueries().some((q) => q.source.startsWith("rule ServiceServerErrorRatioHigh"))).toBe(true);
});

describe("rules", () => {
  const file = rules();
  const all = file.groups.flatMap((g) => g.rules);
  const alerts = all.filter((r) => r.alert);
  const runbooks = readFileSync(join(REPO, "observability/runbooks.md"), "utf8");
  const anchors = new Set([...runbooks.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-")));

  test("every alert has a severity, a summary, a description and a runbook section that exists", () => {
    const problems = alerts.flatMap((a) => {
      const p: string[] = [];
      if (!["critical", "warning", "info"].includes(a.labels?.severity ?? "")) p.push(`${a.alert}: severity`);
      if (!a.annotations?.summary || !a.annotations?.description) p.push(`${a.alert}: summary and description`);
      const url = a.annotations?.runbook_url ?? "";
      const [path, anchor] = url.split("#");
      if (path !== "observability/runbooks.md" || !anchors.has(anchor ?? "")) p.push(`${a.alert}: runbook_url "${url}" is not a section of observability/runbooks.md`);
      return p;
    });
    expect(problems).toEqual([]);
  });

  test("every recording rule an alert uses is defined, and names are unique", () => {
    const records = new Set(all.filter((r) => r.record).map((r) => r.record!));
    const used = all.flatMap((r) => analyse(r.expr).metrics.filter((m) => m.includes(":")).map((m) => [r.alert ?? r.record, m] as const));
    expect(used.filter(([, m]) => !records.has(m))).toEqual([]);
    const names = all.map((r) => r.record ?? `alert:${r.alert}`);
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i && n.startsWith("velaflows:"));
    expect(duplicates).toEqual([]);
  });

  test("the gateway's availability and latency SLOs alert on multi-window burn rates (fast: page, slow: ticket)", () => {
    for (const slo of ["GatewayAvailabilityBudgetBurn", "GatewayLatencyBudgetBurn"]) {
      const pair = alerts.filter((a) => a.alert === slo);
      expect(pair.map((a) => a.labels!.severity).sort()).toEqual(["critical", "warning"]);
      for (const a of pair) {
        const windows = [...a.expr.matchAll(/ratio_rate(\w+)/g)].map((m) => m[1]);
        expect(windows).toEqual(a.labels!.severity === "critical" ? ["1h", "5m", "6h", "30m"] : ["1d", "2h", "3d", "6h"]);
      }
    }
  });

  test("the alerts the issue asks for exist", () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        "GatewayAvailabilityBudgetBurn",
        "GatewayLatencyBudgetBurn",
        "ServiceServerErrorRatioHigh",
        "NodeEventLoopLagHigh",
        "PodRestarting",
        "PodContainerRestarting",
        "OutboxLagHigh",
        "EventsDeadLettered",
      ]),
    );
  });

  test("outbox lag alerts over a threshold held for minutes; any dead letter alerts; restarts cover every workload's container", () => {
    const lag = alerts.find((a) => a.alert === "OutboxLagHigh")!;
    expect(lag.expr).toMatch(/outbox_lag_seconds\) > \d+$/);
    expect(lag.for).toMatch(/^\d+m$/);
    expect(alerts.find((a) => a.alert === "EventsDeadLettered")!.expr).toMatch(/increase\(events_dead_lettered_total\[\w+\]\)\) > 0$/);
    const restarts = alerts.find((a) => a.alert === "PodContainerRestarting")!.expr;
    for (const name of ["gateway", "tags"]) expect(restarts).toMatch(new RegExp(`container=~"[^"]*\\b${name}\\b`));
  });

  test("the umbrella chart ships the same rules and dashboards", () => {
    expect(readFileSync(join(REPO, "helm/velaflows/rules/velaflows.rules.yaml"), "utf8")).toBe(readFileSync(join(REPO, "observability/rules/velaflows.rules.yaml"), "utf8"));
    for (const { file } of dashboards()) {
      expect(readFileSync(join(REPO, "helm/velaflows/dashboards", file), "utf8")).toBe(readFileSync(join(REPO, "observability/dashboards", file), "utf8"));
    }
  });
});

describe("dashboards", () => {
  const boards = dashboards();

  test("platform overview, gateway by route, one RED dashboard with a service variable, Node runtime, PostgreSQL pool, events", () => {
    const byUid = new Map(boards.map((b) => [b.json.uid, b.json]));
    expect([...byUid.keys()].sort()).toEqual(["velaflows-events", "velaflows-gateway", "velaflows-node-runtime", "velaflows-overview", "velaflows-postgres-pool", "velaflows-service-red"]);
    expect(byUid.get("velaflows-postgres-pool").templating.list.map((v: any) => v.name)).toContain("service");
    expect(byUid.get("velaflows-service-red").templating.list.map((v: any) => v.name)).toContain("service");
    expect(byUid.get("velaflows-node-runtime").templating.list.map((v: any) => v.name)).toContain("service");
    expect(byUid.get("velaflows-gateway").templating.list.map((v: any) => v.name)).toContain("route");
  });

  test("every panel queries the data-source variable and has a title; panel ids are unique", () => {
    for (const { file, json } of boards) {
      const panels = json.panels as any[];
      const ids = panels.map((p) => p.id);
      expect({ file, duplicates: ids.filter((x, i) => ids.indexOf(x) !== i) }).toEqual({ file, duplicates: [] });
      for (const p of panels.filter((x) => x.type !== "row")) {
        expect({ file, panel: p.title, datasource: p.datasource, targets: p.targets.length > 0 }).toEqual({ file, panel: p.title, datasource: { type: "prometheus", uid: "${datasource}" }, targets: true });
      }
    }
  });

  test("rates use $__rate_interval, never a fixed window (rules excepted)", () => {
    const fixed = boards.flatMap(({ file, json }) =>
      (json.panels as any[]).flatMap((p) => (p.targets ?? []).filter((t: any) => /rate\([^)]*\[\d+[smhd]\]\)/.test(t.expr)).map((t: any) => `${file} "${p.title}": ${t.expr}`)),
    );
    expect(fixed).toEqual([]);
  });
});

test("the collector configuration: OTLP in, memory limiter, PII redaction, batch, traces out; every component defined", () => {
  const config = parse(readFileSync(join(REPO, "observability/collector/otel-collector.yaml"), "utf8"));
  const pipelines = config.service.pipelines;
  expect(Object.keys(pipelines)).toEqual(["traces"]);
  const traces = pipelines.traces;
  expect(traces.receivers).toEqual(["otlp"]);
  expect(traces.processors[0]).toBe("memory_limiter");
  expect(traces.processors[traces.processors.length - 1]).toBe("batch");
  expect(traces.processors).toEqual(expect.arrayContaining(["attributes/redact-pii", "redaction"]));
  for (const kind of ["receivers", "processors", "exporters"]) {
    for (const name of Object.values(pipelines).flatMap((p: any) => p[kind])) expect({ kind, name, defined: name in config[kind] }).toEqual({ kind, name, defined: true });
  }
  for (const name of config.service.extensions) expect(config.extensions).toHaveProperty([name]);
  expect(config.receivers.otlp.protocols.grpc.endpoint).toMatch(/:4317$/);
  expect(config.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
  const redacted = config.processors["attributes/redact-pii"].actions.map((a: any) => a.key);
  expect(redacted).toEqual(expect.arrayContaining(["user.email", "http.request.header.authorization", "http.request.header.cookie"]));
});
