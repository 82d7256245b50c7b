// Every PromQL expression the repository ships: dashboard targets and template-variable queries,
// and the rule file's recording and alerting rules.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO } from "./tools";

export interface Query {
  /** "dashboard platform-overview.json, panel "…"" or "rule GatewayAvailabilityBudgetBurn". */
  source: string;
  expr: string;
  /** A Grafana label_values(selector, label) variable: the label it lists. */
  listsLabel?: string;
}

export interface RuleFile {
  groups: Array<{ name: string; interval?: string; rules: Array<{ record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }>;
}

export const DASHBOARD_DIR = join(REPO, "observability/dashboards");
export const RULES_FILE = join(REPO, "observability/rules/velaflows.rules.yaml");

export function dashboards(): Array<{ file: string; json: any }> {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), "utf8")) }));
}

export function rules(): RuleFile {
  return parse(readFileSync(RULES_FILE, "utf8")) as RuleFile;
}

export function allQueries(): Query[] {
  const queries: Query[] = [];
  for (const { file, json } of dashboards()) {
    const panels = (json.panels as any[]).flatMap((p) => [p, ...(p.panels ?? [])]);
    for (const panel of panels) for (const t of panel.targets ?? []) queries.push({ source: `dashboard ${file}, panel "${panel.title}"`, expr: t.expr });
    for (const v of json.templating.list as any[]) {
      if (v.type !== "query") continue;
      const q = typeof v.query === "string" ? v.query : v.query.query;
      const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(q);
      if (!m) throw new Error(`dashboard ${file}, variable ${v.name}: only label_values(selector, label) queries are supported, not ${q}`);
      queries.push({ source: `dashboard ${file}, variable $${v.name}`, expr: m[1]!, listsLabel: m[2] });
    }
  }
  for (const group of rules().groups) {
    for (const r of group.rules) queries.push({ source: `rule ${r.record ?? r.alert} (group ${group.name})`, expr: r.expr });
  }
  return queries;
}
