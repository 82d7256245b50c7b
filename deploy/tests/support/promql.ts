// PromQL, parsed with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the
// Prometheus UI): syntax errors, and the metric names and label names an expression uses.
import { parser } from "@prometheus-io/lezer-promql";

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

export interface PromqlUse {
  /** Metric names in vector selectors. */
  metrics: string[];
  /** metric → label names matched in its selector. */
  matchers: Map<string, Set<string>>;
  /** Label names in by/without/on/ignoring clauses. */
  grouping: string[];
  errors: string[];
}

/** Grafana's variables in an expression, replaced by values PromQL accepts. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, "5m")
    .replace(/\$\{?__[a-z_]+\}?/g, "1")
    .replace(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g, "$1_value");
}

export function analyse(expr: string): PromqlUse {
  const tree = parser.parse(expr);
  const use: PromqlUse = { metrics: [], matchers: new Map(), grouping: [], errors: [] };
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) use.errors.push(`syntax error at ${ref.from}: "${expr.slice(Math.max(0, ref.from - 20), ref.to + 20)}"`);
      if (ref.name === "VectorSelector") {
        const node = ref.node;
        const identifier = node.getChild("Identifier");
        const name = identifier ? text(identifier) : "";
        if (name) use.metrics.push(name);
        const labels = use.matchers.get(name) ?? new Set<string>();
        const matchers = node.getChild("LabelMatchers");
        for (let c = matchers?.firstChild; c; c = c.nextSibling) {
          const label = c.getChild("LabelName");
          if (label) labels.add(text(label));
          if (c.name === "QuotedLabelName" || c.name === "QuotedLabelMatcher") labels.add(text(c).split(/[=!~]/)[0]!.replace(/"/g, ""));
        }
        use.matchers.set(name, labels);
      }
      if (ref.name === "GroupingLabels") {
        for (let c = ref.node.firstChild; c; c = c.nextSibling) if (c.name === "LabelName") use.grouping.push(text(c));
      }
    },
  });
  return use;
}
