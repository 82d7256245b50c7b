// k8s/: each overlay builds with kustomize (the umbrella chart inflated by helm, offline), every
// object validates against the Kubernetes API schemas (and deploy/schemas for the operators' custom
// resources), and the overlay wiring holds: one namespace, one database per service, the chart's
// expectations of its dependencies met (names, labels, ports).
import { join } from "node:path";
import { loadWorkloads, databaseName } from "../../scripts/deploy/workloads";
import { GLOBAL_DEFAULTS } from "../../scripts/deploy/helm-charts";
import { validateObjects } from "./support/k8s-schema";
import { HELM, KUSTOMIZE, REPO, id, parseObjects, prepareWorkspace, runOk, skipReason, type K8sObject } from "./support/tools";

const workloads = loadWorkloads(join(REPO, "services"));
const services = workloads.filter((w) => w.role === "service");
const ready = HELM && KUSTOMIZE;
const describeWithTools = ready ? describe : describe.skip;
if (!ready) {
  process.stderr.write(`SKIPPED: ${skipReason(HELM ? "kustomize" : "helm")}\n`);
  test.skip(skipReason(HELM ? "kustomize" : "helm"), () => undefined);
}

describeWithTools("kustomize overlays", () => {
  let ws: ReturnType<typeof prepareWorkspace>;
  const built: Record<string, K8sObject[]> = {};
  beforeAll(() => {
    ws = prepareWorkspace();
    for (const overlay of ["dev", "prod"]) {
      built[overlay] = parseObjects(runOk(KUSTOMIZE!, ["build", "--enable-helm", "--helm-command", HELM!, join(ws.dir, "k8s/overlays", overlay)]));
    }
  }, 120_000);
  afterAll(() => ws?.cleanup());

  test.each(["dev", "prod"])("the %s overlay's objects are valid against the Kubernetes API and operator schemas", (overlay) => {
    expect(validateObjects(built[overlay]!)).toEqual([]);
  }, 60_000);

  test.each([
    ["dev", "velaflows-dev"],
    ["prod", "velaflows"],
  ])("the %s overlay puts everything in namespace %s, and the chart addresses services there", (overlay, namespace) => {
    const objects = built[overlay]!;
    expect(objects.filter((o) => o.kind !== "Namespace" && o.metadata.namespace !== namespace).map(id)).toEqual([]);
    const upstreams = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "velaflows-gateway-upstreams")!;
    for (const value of Object.values(upstreams.data!)) expect(value).toContain(`.${namespace}.svc.`);
  });

  test.each(["dev", "prod"])("the %s overlay installs every workload and its dependencies", (overlay) => {
    const objects = built[overlay]!;
    const deployments = objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name);
    expect(deployments).toEqual(expect.arrayContaining([...workloads.map((w) => `velaflows-${w.name}`), "velaflows-redis", "velaflows-otel-collector"]));
    expect(objects.filter((o) => o.kind === "Cluster").map(id)).toEqual(["Cluster/velaflows-pg"]);
    expect(objects.filter((o) => o.kind === "RabbitmqCluster").map(id)).toEqual(["RabbitmqCluster/velaflows-rabbitmq"]);
  });

  test("PostgreSQL: one database and one login role per service, with the password Secret the chart reads", () => {
    const objects = built.prod!;
    const cluster = objects.find((o) => o.kind === "Cluster")!;
    const roles = cluster.spec.managed.roles as Array<{ name: string; login: boolean; passwordSecret: { name: string } }>;
    for (const s of services) {
      const db = objects.find((o) => o.kind === "Database" && o.spec.name === databaseName(s.name));
      expect({ service: s.name, database: db?.spec }).toEqual({ service: s.name, database: expect.objectContaining({ owner: databaseName(s.name), cluster: { name: cluster.metadata.name } }) });
      expect(roles).toContainEqual(expect.objectContaining({ name: databaseName(s.name), login: true, passwordSecret: { name: `velaflows-db-${s.name}` } }));
      const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === `velaflows-${s.name}`)!;
      const env = deployment.spec.template.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: any }>;
      expect(env.find((e) => e.name === "DATABASE_PASSWORD")?.valueFrom.secretKeyRef.name).toBe(`velaflows-db-${s.name}`);
      expect(env.find((e) => e.name === "DATABASE_URL")?.value).toContain(`@${cluster.metadata.name}-rw:5432/${databaseName(s.name)}`);
    }
  });

  test("the dependencies carry the labels and ports the workloads' NetworkPolicies allow", () => {
    const objects = built.prod!;
    const podLabels = (name: string) => objects.find((o) => o.kind === "Deployment" && o.metadata.name === name)?.spec.template.metadata.labels;
    expect(podLabels("velaflows-redis")).toMatchObject(GLOBAL_DEFAULTS.redis.peer.podSelector.matchLabels);
    expect(podLabels("velaflows-otel-collector")).toMatchObject(GLOBAL_DEFAULTS.otel.peer.podSelector.matchLabels);
    expect(objects.find((o) => o.kind === "RabbitmqCluster")!.metadata.name).toBe(GLOBAL_DEFAULTS.rabbitmq.peer.podSelector.matchLabels["app.kubernetes.io/name"]);
    expect(objects.find((o) => o.kind === "Cluster")!.metadata.name).toBe(GLOBAL_DEFAULTS.postgres.peer.podSelector.matchLabels["cnpg.io/cluster"]);
    const servicePorts = (name: string) => objects.find((o) => o.kind === "Service" && o.metadata.name === name)!.spec.ports.map((p: any) => p.port);
    expect(servicePorts("velaflows-redis")).toEqual([GLOBAL_DEFAULTS.redis.port]);
    expect(servicePorts("velaflows-otel-collector")).toEqual(GLOBAL_DEFAULTS.otel.ports);
    expect(GLOBAL_DEFAULTS.redis.url).toBe(`redis://velaflows-redis:${GLOBAL_DEFAULTS.redis.port}`);
    expect(GLOBAL_DEFAULTS.otel.endpoint).toBe("http://velaflows-otel-collector:4318");
  });

  test("the collector's ConfigMap carries observability/collector/otel-collector.yaml", () => {
    const cm = built.prod!.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("velaflows-otel-collector"))!;
    const collector = built.prod!.find((o) => o.kind === "Deployment" && o.metadata.name === "velaflows-otel-collector")!;
    expect(collector.spec.template.spec.volumes[0].configMap.name).toBe(cm.metadata.name);
    expect(cm.data!["config.yaml"]).toContain("attributes/redact-pii");
  });

  test("dev is small, prod is highly available", () => {
    const instances = (o: string) => built[o]!.find((x) => x.kind === "Cluster")!.spec.instances;
    expect(instances("dev")).toBe(1);
    expect(instances("prod")).toBe(3);
    expect(built.dev!.filter((o) => o.kind === "PodDisruptionBudget")).toEqual([]);
    expect(built.prod!.filter((o) => o.kind === "PodDisruptionBudget").length).toBe(workloads.length);
  });
});
