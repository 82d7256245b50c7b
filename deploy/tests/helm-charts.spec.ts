// The charts under helm/: helm lint --strict on each, the umbrella rendered with its default values
// and with the production values, every rendered object validated against the Kubernetes API
// schemas offline, and each deployment policy asserted on every object (a test per policy).
import { join } from "node:path";
import { loadWorkloads } from "../../scripts/deploy/workloads";
import { validateObjects } from "./support/k8s-schema";
import { POLICIES, type Context } from "./support/policies";
import { CAPABILITIES, HELM, REPO, id, parseObjects, prepareWorkspace, run, runOk, skipReason, type K8sObject } from "./support/tools";

const workloads = loadWorkloads(join(REPO, "services"));
const charts = ["velaflows-lib", ...workloads.map((w) => w.name), "velaflows"];
const describeWithHelm = HELM ? describe : describe.skip;
if (!HELM) {
  process.stderr.write(`SKIPPED: ${skipReason("helm")}\n`);
  test.skip(skipReason("helm"), () => undefined);
}

const apiVersionArgs = CAPABILITIES.flatMap((c) => ["--api-versions", c]);

describeWithHelm("helm charts", () => {
  let ws: ReturnType<typeof prepareWorkspace>;
  const renders: Record<string, Context> = {};
  const template = (args: string[]) => parseObjects(runOk(HELM!, ["template", "velaflows", join(ws.dir, "helm/velaflows"), "--namespace", "velaflows", ...args]));

  beforeAll(() => {
    ws = prepareWorkspace();
    renders.default = { objects: template([]), workloads, crds: false };
    renders.production = { objects: template(["-f", join(ws.dir, "helm/velaflows/values-production.yaml"), ...apiVersionArgs]), workloads, crds: true };
  }, 120_000);
  afterAll(() => ws?.cleanup());

  test.each(charts)("helm lint --strict %s", (chart) => {
    const r = run(HELM!, ["lint", "--strict", join(ws.dir, "helm", chart)]);
    expect({ status: r.status, output: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ status: 0, output: "" });
  });

  test("helm lint --strict the umbrella with the production values", () => {
    const r = run(HELM!, ["lint", "--strict", join(ws.dir, "helm/velaflows"), "-f", join(ws.dir, "helm/velaflows/values-production.yaml")]);
    expect({ status: r.status, output: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ status: 0, output: "" });
  });

  test("rendered object counts (printed for the record)", () => {
    const counts = (objects: K8sObject[]) => Object.fromEntries([...new Set(objects.map((o) => o.kind))].sort().map((k) => [k, objects.filter((o) => o.kind === k).length]));
    const summary = Object.fromEntries(Object.entries(renders).map(([name, r]) => [name, { total: r.objects.length, ...counts(r.objects) }]));
    process.stdout.write(`rendered objects: ${JSON.stringify(summary)}\n`);
    expect(renders.default!.objects.length).toBeGreaterThan(0);
    expect(renders.production!.objects.length).toBeGreaterThan(renders.default!.objects.length);
  });

  test("object names are unique per kind", () => {
    for (const r of Object.values(renders)) {
      const ids = r.objects.map(id);
      expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
    }
  });

  test.each(["default", "production"])("every object of the %s render is valid against the Kubernetes API schemas", (name) => {
    expect(validateObjects(renders[name]!.objects)).toEqual([]);
  }, 60_000);

  test.each(workloads.map((w) => w.name))("the %s chart renders on its own and its objects are valid", (chart) => {
    const objects = parseObjects(runOk(HELM!, ["template", chart, join(ws.dir, "helm", chart), "--namespace", "velaflows", ...apiVersionArgs]));
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(["Deployment", "Service", "ServiceAccount", "ConfigMap", "NetworkPolicy", "ServiceMonitor"]));
    expect(validateObjects(objects)).toEqual([]);
  }, 60_000);

  describe.each(["default", "production"])("policy on every object of the %s render", (name) => {
    test.each(Object.keys(POLICIES))("%s", (policy) => {
      expect(POLICIES[policy]!(renders[name]!)).toEqual([]);
    });
  });

  test("each policy catches a broken object and names it (so a green policy means something)", () => {
    const broken = (mutate: (objects: K8sObject[]) => void): Context => {
      const objects = structuredClone(renders.production!.objects);
      mutate(objects);
      return { objects, workloads, crds: true };
    };
    const deployment = (objects: K8sObject[], name = workloads[0]!.name) => objects.find((o) => o.kind === "Deployment" && o.metadata.labels!["app.kubernetes.io/name"] === name)!;
    const container = (objects: K8sObject[], name?: string) => deployment(objects, name).spec.template.spec.containers[0];
    const target = `Deployment/velaflows-${workloads[0]!.name}`;
    const cases: Array<[string, (objects: K8sObject[]) => void, string]> = [
      ["probes", (o) => delete container(o).readinessProbe, target],
      ["probes", (o) => (container(o).livenessProbe = container(o).readinessProbe), target],
      ["resources", (o) => delete container(o).resources.limits, target],
      ["restricted securityContext", (o) => (container(o).securityContext.readOnlyRootFilesystem = false), target],
      ["one ServiceAccount", (o) => (deployment(o).spec.template.spec.automountServiceAccountToken = true), target],
      ["headless Service", (o) => (o.find((x) => x.kind === "Service" && x.metadata.name === `velaflows-${workloads[0]!.name}`)!.spec.clusterIP = "10.0.0.1"), `Service/velaflows-${workloads[0]!.name}`],
      ["PodDisruptionBudget", (o) => o.splice(o.findIndex((x) => x.kind === "PodDisruptionBudget"), 1), "Deployment/velaflows-"],
      ["NetworkPolicy", (o) => deployment(o).metadata && o.find((x) => x.kind === "NetworkPolicy" && x.metadata.name === `velaflows-${workloads[0]!.name}`)!.spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }), `NetworkPolicy/velaflows-${workloads[0]!.name}`],
      ["NetworkPolicy", (o) => o.find((x) => x.kind === "NetworkPolicy" && x.metadata.name === `velaflows-${workloads[0]!.name}`)!.spec.ingress[0].from[0].podSelector.matchExpressions[0].values.push("intruder"), `NetworkPolicy/velaflows-${workloads[0]!.name}`],
      ["ServiceMonitor", (o) => (o.find((x) => x.kind === "ServiceMonitor")!.spec.endpoints[0].honorLabels = false), "ServiceMonitor/"],
      ["secrets only by reference", (o) => container(o).env.push({ name: "DB_PASSWORD", value: "hunter2" }), target],
      ["only the gateway is exposed", (o) => o.find((x) => x.kind === "Ingress")!.spec.rules[0].http.paths.push({ path: "/metrics", pathType: "Prefix", backend: { service: { name: "velaflows-gateway", port: { name: "http" } } } }), "Ingress/velaflows-gateway"],
      ["database migrations", (o) => (deployment(o).spec.strategy.rollingUpdate.maxUnavailable = 1), target],
      ["images are pinned", (o) => (container(o).image = "velaflows/x:latest"), target],
      ["config checksum", (o) => delete deployment(o).spec.template.metadata.annotations["checksum/config"], target],
    ];
    for (const [prefix, mutate, expected] of cases) {
      const [name, policy] = Object.entries(POLICIES).find(([n]) => n.startsWith(prefix) || n.includes(prefix))!;
      const violations = policy(broken(mutate));
      expect({ policy: name, caught: violations.some((v) => v.includes(expected)) }).toEqual({ policy: name, caught: true });
    }
  });

  test("a values change rolls only the pods it concerns (config checksum)", () => {
    const first = renders.default!.objects.filter((o) => o.kind === "Deployment");
    const changed = template(["--set", `${workloads[0]!.name}.logLevel=debug`]).filter((o) => o.kind === "Deployment");
    const checksum = (list: K8sObject[], name: string) => list.find((d) => d.metadata.name === name)!.spec.template.metadata.annotations["checksum/config"];
    for (const d of first) {
      const same = checksum(first, d.metadata.name) === checksum(changed, d.metadata.name);
      expect({ deployment: d.metadata.name, rolled: !same }).toEqual({ deployment: d.metadata.name, rolled: d.metadata.labels!["app.kubernetes.io/name"] === workloads[0]!.name });
    }
  });

  test("<svc>.enabled=false leaves the service out, and out of the gateway's addresses", () => {
    const victim = workloads[0]!.name;
    const objects = template(["--set", `${victim}.enabled=false`]);
    expect(objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/name"] === victim)).toEqual([]);
    const upstreams = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "velaflows-gateway-upstreams")!;
    expect(Object.keys(upstreams.data!)).not.toContain(`${victim.toUpperCase().replace(/-/g, "_")}_ADDR`);
    expect(Object.keys(upstreams.data!).length).toBe(workloads.filter((w) => w.role === "service").length - 1);
  });

  test("bad values fail at install time (values.schema.json)", () => {
    const cases: Array<[string, RegExp]> = [
      [`${workloads[0]!.name}.resources.limits.memory=lots`, /memory|pattern/i],
      [`${workloads[0]!.name}.replicasCount=2`, /replicasCount|additional/i],
      ["gateway.probes.liveness.type=tcp", /type|enum|value must be one of/i],
      [`${workloads[0]!.name}.env.DB_PASSWORD=hunter2`, /DB_PASSWORD|propertyNames|not/i],
    ];
    for (const [set, message] of cases) {
      const r = run(HELM!, ["template", "velaflows", join(ws.dir, "helm/velaflows"), "--set", set]);
      expect({ set, failed: r.status !== 0 }).toEqual({ set, failed: true });
      expect(r.stderr).toMatch(message);
    }
  });
});
