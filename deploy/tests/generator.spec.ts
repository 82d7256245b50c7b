// scripts/deploy/generate-deploy.ts: idempotent, committed output up to date, and any number of
// services: a platform of made-up services gets its charts, graph-derived NetworkPolicies and
// umbrella entries with no hand-written file, and renders within the policies.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { generate, run } from "../../scripts/deploy/generate-deploy";
import { loadWorkloads } from "../../scripts/deploy/workloads";
import { validateObjects } from "./support/k8s-schema";
import { POLICIES } from "./support/policies";
import { HELM, REPO, parseObjects, runOk } from "./support/tools";

const manifest = (name: string, grpc: number, extra = "") => `name: ${name}
description: The ${name} service
grpcServices: [velaflows.${name.replace(/-/g, "_")}.v1.${name}Service]
basePath: /${name}
ports: { grpc: ${grpc}, http: ${grpc - 41000} }
database: { schema: ${name.replace(/-/g, "_")} }
${extra}`;

function platform(services: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "velaflows-gen-"));
  mkdirSync(join(root, "observability/collector"), { recursive: true });
  cpSync(join(REPO, "observability/collector/otel-collector.yaml"), join(root, "observability/collector/otel-collector.yaml"));
  cpSync(join(REPO, "helm/velaflows-lib"), join(root, "helm/velaflows-lib"), { recursive: true });
  for (const [name, text] of Object.entries(services)) {
    mkdirSync(join(root, "services", name), { recursive: true });
    writeFileSync(join(root, "services", name, "service.yaml"), text);
  }
  return root;
}

const THREE = {
  catalog: manifest("catalog", 50201),
  orders: manifest("orders", 50202, "dependsOn: [catalog]\nevents: { publishes: [orders.order.created] }"),
  "api-keys": manifest("api-keys", 50203, "allowedCallers: [gateway]\nresources:\n  requests: { cpu: 20m, memory: 64Mi }\n  limits: { memory: 1Gi }"),
};

test("the committed output is what the generator produces (npm run gen:deploy:check)", () => {
  expect(run(REPO, { check: true })).toEqual({ changed: [], stale: [] });
});

test("generating twice gives the same bytes", () => {
  const a = generate(REPO);
  const b = generate(REPO);
  expect([...b]).toEqual([...a]);
});

describe("a platform of three made-up services", () => {
  let root: string;
  beforeAll(() => {
    root = platform(THREE);
    expect(run(root, { check: false }).changed.length).toBeGreaterThan(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("a second run changes nothing, and --check agrees", () => {
    expect(run(root, { check: false })).toEqual({ changed: [], stale: [] });
    expect(run(root, { check: true })).toEqual({ changed: [], stale: [] });
  });

  test("each service gets a thin chart, the umbrella a condition, and values from its manifest", () => {
    const umbrella = parse(readFileSync(join(root, "helm/velaflows/Chart.yaml"), "utf8"));
    expect(umbrella.dependencies.map((d: any) => [d.name, d.condition])).toEqual([
      ["velaflows-lib", undefined],
      ["api-keys", "api-keys.enabled"],
      ["catalog", "catalog.enabled"],
      ["orders", "orders.enabled"],
      ["gateway", "gateway.enabled"],
    ]);
    const orders = parse(readFileSync(join(root, "helm/orders/values.yaml"), "utf8"));
    expect(orders.dependsOn).toEqual([{ name: "catalog", port: 50201 }]);
    expect(orders.rabbitmq).toEqual({ enabled: true });
    expect(parse(readFileSync(join(root, "helm/catalog/values.yaml"), "utf8")).callers).toEqual(["gateway", "orders"]);
    const keys = parse(readFileSync(join(root, "helm/api-keys/values.yaml"), "utf8"));
    expect(keys.callers).toEqual(["gateway"]);
    expect(keys.resources).toEqual({ requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "1Gi" } });
    expect(readFileSync(join(root, "helm/velaflows/templates/gateway-upstreams.yaml"), "utf8")).toContain('(index .Values "api-keys").enabled');
  });

  test("removing a service removes its chart (and --check reports it first)", () => {
    const copy = platform({ catalog: THREE.catalog, orders: THREE.orders });
    try {
      cpSync(join(root, "helm"), join(copy, "helm"), { recursive: true });
      expect(run(copy, { check: true }).stale).toEqual(["helm/api-keys"]);
      run(copy, { check: false });
      expect(existsSync(join(copy, "helm/api-keys"))).toBe(false);
      expect(existsSync(join(copy, "helm/velaflows-lib/Chart.yaml"))).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  (HELM ? test : test.skip)("renders with helm, valid and within every policy", () => {
    runOk("bash", [join(REPO, "scripts/deploy/chart-deps.sh"), join(root, "helm")], { env: { HELM: HELM! } });
    const objects = parseObjects(runOk(HELM!, ["template", "velaflows", join(root, "helm/velaflows"), "--namespace", "shop", "--set", "orders.replicaCount=3"]));
    expect(validateObjects(objects)).toEqual([]);
    const ctx = { objects, workloads: loadWorkloads(join(root, "services")), crds: false };
    const violations = Object.entries(POLICIES).flatMap(([name, policy]) => policy(ctx).map((v) => `${name}: ${v}`));
    expect(violations).toEqual([]);
    const heap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "velaflows-api-keys-env")!.data!.NODE_OPTIONS;
    expect(heap).toBe("--max-old-space-size=768");
  }, 60_000);
});

test.each([
  [{ alpha: manifest("alpha", 50301, "dependsOn: [ghost]") }, /services\/alpha\/service\.yaml: dependsOn names "ghost"/],
  [{ alpha: manifest("alpha", 50301), beta: manifest("beta", 50301) }, /port 50301 is already used by alpha/],
  [{ alpha: manifest("alpha", 50301, "allowedCallers: [gateway]"), beta: manifest("beta", 50302, "dependsOn: [alpha]") }, /services\/beta\/service\.yaml depends on alpha, but .* allowedCallers/],
  [{ alpha: manifest("alpha", 50301, "resources:\n  requests: { cpu: 1, memory: 1.5Gi }") }, /resources\.requests\.memory/],
])("a manifest the platform cannot deploy fails, naming the file (%#)", (services, message) => {
  const root = platform(services as Record<string, string>);
  try {
    expect(() => generate(root)).toThrow(message);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
