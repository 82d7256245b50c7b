// The deployment policies of issue 6 (ARCHITECTURE section 11), each a function from the rendered
// objects to the violations it finds, every violation naming its object.
import type { Workload } from "../../../scripts/deploy/workloads";
import { GLOBAL_DEFAULTS } from "../../../scripts/deploy/helm-charts";
import { id, type K8sObject } from "./tools";

export interface Context {
  objects: K8sObject[];
  workloads: Workload[];
  /** The render was given the monitoring and Gateway API capabilities. */
  crds: boolean;
}

export type Policy = (ctx: Context) => string[];

const of = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const component = (o: K8sObject) => o.metadata.labels?.["app.kubernetes.io/name"] ?? "";
const podSpec = (d: K8sObject) => d.spec.template.spec;
const containers = (d: K8sObject): any[] => podSpec(d).containers;
const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());
const workloadOf = (ctx: Context, d: K8sObject) => ctx.workloads.find((w) => w.name === component(d));
const envConfig = (ctx: Context, d: K8sObject): Record<string, string> => {
  const names = containers(d).flatMap((c) => (c.envFrom ?? []).map((e: any) => e.configMapRef?.name));
  return Object.assign({}, ...of(ctx.objects, "ConfigMap").filter((cm) => names.includes(cm.metadata.name)).map((cm) => cm.data ?? {}));
};
const memoryMiB = (q: string) => {
  const m = /^([0-9]+)(Mi|Gi|M|G)$/.exec(q);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "Gi" ? n * 1024 : m[2] === "Mi" ? n : m[2] === "G" ? Math.floor((n * 1e9) / 2 ** 20) : Math.floor((n * 1e6) / 2 ** 20);
};
const replicasOf = (ctx: Context, d: K8sObject): { min: number; hpa?: K8sObject } => {
  const hpa = of(ctx.objects, "HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name);
  return { min: hpa ? hpa.spec.minReplicas : (d.spec.replicas ?? 1), hpa };
};
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const samePeer = (peer: any, expected: any) => sameLabels(peer.podSelector?.matchLabels, expected.podSelector?.matchLabels) && sameLabels(peer.namespaceSelector?.matchLabels, expected.namespaceSelector?.matchLabels);
const portsOf = (rule: any): string[] => (rule.ports ?? []).map((p: any) => `${p.port}/${p.protocol ?? "TCP"}`).sort();

export const POLICIES: Record<string, Policy> = {
  "every service in services/ and the gateway is rendered as a Deployment": (ctx) => {
    const names = of(ctx.objects, "Deployment").map(component);
    return ctx.workloads.filter((w) => !names.includes(w.name)).map((w) => `${w.name}: no Deployment rendered`);
  },

  "probes: gRPC startup and readiness for services, HTTP for the gateway; liveness never follows readiness": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const w = workloadOf(ctx, d);
      return containers(d).flatMap((c) => {
        const v: string[] = [];
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) if (!c[probe]) v.push(`${id(d)}: container ${c.name} has no ${probe}`);
        if (v.length) return v;
        const grpcPort = c.ports.find((p: any) => p.name === "grpc")?.containerPort;
        if (w?.role === "service") {
          for (const probe of ["startupProbe", "readinessProbe"]) {
            if (!c[probe].grpc || c[probe].grpc.port !== grpcPort) v.push(`${id(d)}: ${probe} must be a native gRPC probe on the gRPC port ${grpcPort}`);
          }
          const live = c.livenessProbe;
          const followsReadiness = live.grpc && (live.grpc.service ?? "") === (c.readinessProbe.grpc?.service ?? "");
          if (followsReadiness) v.push(`${id(d)}: livenessProbe uses the readiness health service (a database outage would restart every pod)`);
          if (live.httpGet && live.httpGet.path !== "/healthz") v.push(`${id(d)}: HTTP livenessProbe must be /healthz`);
        } else {
          if (c.readinessProbe.httpGet?.path !== "/readyz") v.push(`${id(d)}: the gateway's readinessProbe must be HTTP /readyz`);
          if (c.livenessProbe.httpGet?.path !== "/healthz") v.push(`${id(d)}: the gateway's livenessProbe must be HTTP /healthz`);
          if (!c.startupProbe.httpGet) v.push(`${id(d)}: the gateway's startupProbe must be HTTP`);
        }
        return v;
      });
    }),

  "resources: CPU and memory requests, a memory limit, and NODE_OPTIONS --max-old-space-size at 75 % of it": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) =>
      containers(d).flatMap((c) => {
        const v: string[] = [];
        const r = c.resources ?? {};
        if (!r.requests?.cpu) v.push(`${id(d)}: no CPU request`);
        if (!r.requests?.memory) v.push(`${id(d)}: no memory request`);
        if (!r.limits?.memory) return [...v, `${id(d)}: no memory limit`];
        if (memoryMiB(r.requests.memory) > memoryMiB(r.limits.memory)) v.push(`${id(d)}: memory request above the limit`);
        const nodeOptions = envConfig(ctx, d).NODE_OPTIONS ?? c.env?.find((e: any) => e.name === "NODE_OPTIONS")?.value ?? "";
        const heap = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1]);
        const expected = Math.floor((memoryMiB(r.limits.memory) * 75) / 100);
        if (heap !== expected) v.push(`${id(d)}: NODE_OPTIONS "${nodeOptions}" should set --max-old-space-size=${expected} (75 % of ${r.limits.memory})`);
        return v;
      }),
    ),

  "restricted securityContext: non-root, read-only root with a /tmp emptyDir, no privilege escalation, no capabilities, RuntimeDefault seccomp": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const pod = podSpec(d);
      const v: string[] = [];
      if (pod.securityContext?.runAsNonRoot !== true) v.push(`${id(d)}: pod securityContext.runAsNonRoot is not true`);
      if (!(pod.securityContext?.runAsUser > 0)) v.push(`${id(d)}: pod securityContext.runAsUser is not a non-root uid`);
      if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") v.push(`${id(d)}: pod seccompProfile is not RuntimeDefault`);
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) v.push(`${id(d)}: uses host namespaces`);
      const tmpVolumes = (pod.volumes ?? []).filter((vol: any) => vol.emptyDir).map((vol: any) => vol.name);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const s = c.securityContext ?? {};
        if (s.allowPrivilegeEscalation !== false) v.push(`${id(d)}: container ${c.name} allows privilege escalation`);
        if (s.readOnlyRootFilesystem !== true) v.push(`${id(d)}: container ${c.name} has a writable root filesystem`);
        if (s.privileged === true) v.push(`${id(d)}: container ${c.name} is privileged`);
        if (!(s.capabilities?.drop ?? []).includes("ALL")) v.push(`${id(d)}: container ${c.name} does not drop ALL capabilities`);
        if ((s.capabilities?.add ?? []).length) v.push(`${id(d)}: container ${c.name} adds capabilities`);
        if (!(c.volumeMounts ?? []).some((m: any) => m.mountPath === "/tmp" && tmpVolumes.includes(m.name))) v.push(`${id(d)}: container ${c.name} has no emptyDir at /tmp`);
      }
      return v;
    }),

  "one ServiceAccount per workload, with no token mounted": (ctx) => {
    const accounts = new Map(of(ctx.objects, "ServiceAccount").map((sa) => [sa.metadata.name, sa]));
    const used = new Map<string, string>();
    return of(ctx.objects, "Deployment").flatMap((d) => {
      const v: string[] = [];
      const name = podSpec(d).serviceAccountName;
      const sa = accounts.get(name);
      if (!name || !sa) return [`${id(d)}: serviceAccountName "${name}" is not a rendered ServiceAccount`];
      if (used.has(name)) v.push(`${id(d)}: shares ServiceAccount ${name} with ${used.get(name)}`);
      used.set(name, id(d));
      if (sa.automountServiceAccountToken !== false) v.push(`ServiceAccount/${name}: automountServiceAccountToken is not false`);
      if (podSpec(d).automountServiceAccountToken !== false) v.push(`${id(d)}: pod automountServiceAccountToken is not false`);
      return v;
    });
  },

  "headless Service with a grpc port for each service (client-side balancing); a ClusterIP Service for the gateway": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const w = workloadOf(ctx, d);
      const services = of(ctx.objects, "Service").filter((s) => selects(s.spec.selector, d.spec.template.metadata.labels));
      if (services.length === 0) return [`${id(d)}: no Service selects its pods`];
      return services.flatMap((s) => {
        const v: string[] = [];
        const grpc = s.spec.ports.find((p: any) => p.name === "grpc");
        if (!grpc) v.push(`${id(s)}: no port named grpc`);
        else if (!["grpc", "kubernetes.io/h2c"].includes(grpc.appProtocol)) v.push(`${id(s)}: the grpc port has no HTTP/2 appProtocol`);
        if (w?.role === "service" && s.spec.clusterIP !== "None") v.push(`${id(s)}: a service's Service must be headless (clusterIP: None)`);
        if (["NodePort", "LoadBalancer"].includes(s.spec.type)) v.push(`${id(s)}: exposed outside the cluster (${s.spec.type})`);
        if (!sameLabels(s.spec.selector, d.spec.selector.matchLabels)) v.push(`${id(s)}: selector differs from ${id(d)}'s (name and instance only)`);
        return v;
      });
    }),

  "PodDisruptionBudget exactly when replicas >= 2 (or the HPA's minimum is)": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const pdbs = of(ctx.objects, "PodDisruptionBudget").filter((p) => sameLabels(p.spec.selector.matchLabels, d.spec.selector.matchLabels));
      const { min } = replicasOf(ctx, d);
      if (min >= 2 && pdbs.length !== 1) return [`${id(d)}: ${min} replicas but ${pdbs.length} PodDisruptionBudgets`];
      if (min < 2 && pdbs.length > 0) return [`${id(d)}: a PodDisruptionBudget on ${min} replica blocks node drains`];
      return pdbs.filter((p) => p.spec.maxUnavailable === undefined && p.spec.minAvailable === undefined).map((p) => `${id(p)}: neither maxUnavailable nor minAvailable`);
    }),

  "HorizontalPodAutoscaler: autoscaling/v2 on an existing Deployment that leaves replicas to it": (ctx) =>
    of(ctx.objects, "HorizontalPodAutoscaler").flatMap((h) => {
      const v: string[] = [];
      if (h.apiVersion !== "autoscaling/v2") v.push(`${id(h)}: apiVersion ${h.apiVersion}, not autoscaling/v2`);
      const d = of(ctx.objects, "Deployment").find((x) => x.metadata.name === h.spec.scaleTargetRef.name);
      if (!d) return [...v, `${id(h)}: targets ${h.spec.scaleTargetRef.name}, which is not rendered`];
      if (d.spec.replicas !== undefined) v.push(`${id(d)}: sets replicas although ${id(h)} scales it`);
      if (!containers(d).every((c) => c.resources?.requests?.cpu)) v.push(`${id(d)}: CPU utilisation needs CPU requests`);
      if (h.spec.minReplicas < 2) v.push(`${id(h)}: minReplicas below 2`);
      return v;
    }),

  "NetworkPolicy from the dependency graph: default deny; ingress only from callers, the ingress controller (gateway) and monitoring; egress only to DNS, dependencies and the platform's services": (ctx) => {
    const g = GLOBAL_DEFAULTS;
    const v: string[] = [];
    const policies = of(ctx.objects, "NetworkPolicy");
    const defaultDeny = policies.find((p) => sameLabels(p.spec.podSelector.matchLabels, { "app.kubernetes.io/part-of": "velaflows" }));
    if (!defaultDeny || !defaultDeny.spec.policyTypes.includes("Ingress") || !defaultDeny.spec.policyTypes.includes("Egress") || defaultDeny.spec.ingress?.length || defaultDeny.spec.egress?.length) {
      v.push("NetworkPolicy: no default deny (Ingress and Egress, no rules) over app.kubernetes.io/part-of=velaflows");
    }
    const grpcPortOf = (name: string) => ctx.workloads.find((w) => w.name === name)?.ports.grpc;
    for (const d of of(ctx.objects, "Deployment")) {
      const w = workloadOf(ctx, d);
      if (!w) continue;
      const matching = policies.filter((p) => sameLabels(p.spec.podSelector.matchLabels, d.spec.selector.matchLabels));
      if (matching.length !== 1) {
        v.push(`${id(d)}: ${matching.length} NetworkPolicies select exactly its pods`);
        continue;
      }
      const np = matching[0]!;
      if (!np.spec.policyTypes?.includes("Ingress") || !np.spec.policyTypes?.includes("Egress")) v.push(`${id(np)}: policyTypes must list Ingress and Egress (default deny)`);
      const callers = new Set<string>();
      for (const rule of np.spec.ingress ?? []) {
        if (!rule.from?.length) v.push(`${id(np)}: an ingress rule without "from" admits everyone`);
        if (!rule.ports?.length) v.push(`${id(np)}: an ingress rule without ports admits every port`);
        for (const peer of rule.from ?? []) {
          const names = peer.podSelector?.matchExpressions?.find((e: any) => e.key === "app.kubernetes.io/name" && e.operator === "In")?.values;
          if (names && !peer.namespaceSelector && peer.podSelector.matchLabels?.["app.kubernetes.io/part-of"] === "velaflows") {
            names.forEach((n: string) => callers.add(n));
            if (JSON.stringify(portsOf(rule)) !== JSON.stringify(["grpc/TCP"])) v.push(`${id(np)}: callers are admitted on ${portsOf(rule)}, not only grpc`);
          } else if (samePeer(peer, g.networkPolicy.monitoring)) {
            const metricsPort = w.role === "service" ? "metrics/TCP" : "http/TCP";
            if (JSON.stringify(portsOf(rule)) !== JSON.stringify([metricsPort])) v.push(`${id(np)}: monitoring is admitted on ${portsOf(rule)}, not only ${metricsPort}`);
          } else if (w.role === "gateway" && samePeer(peer, g.networkPolicy.ingressController)) {
            // the ingress controller reaches the gateway's serving ports
          } else {
            v.push(`${id(np)}: ingress from an undeclared peer ${JSON.stringify(peer)}`);
          }
        }
      }
      const expectedCallers = w.role === "service" ? w.callers : [];
      if (JSON.stringify([...callers].sort()) !== JSON.stringify([...expectedCallers].sort())) v.push(`${id(np)}: admits callers [${[...callers].sort()}], the graph says [${[...expectedCallers].sort()}]`);
      const reached = new Set<string>();
      for (const rule of np.spec.egress ?? []) {
        if (!rule.to?.length) v.push(`${id(np)}: an egress rule without "to" allows every destination`);
        for (const peer of rule.to ?? []) {
          const ports = portsOf(rule);
          const dep = peer.podSelector?.matchLabels?.["app.kubernetes.io/part-of"] === "velaflows" ? peer.podSelector.matchLabels["app.kubernetes.io/name"] : undefined;
          if (samePeer(peer, g.networkPolicy.dns)) {
            if (JSON.stringify(ports) !== JSON.stringify(["53/TCP", "53/UDP"])) v.push(`${id(np)}: DNS egress on ${ports}`);
          } else if (dep) {
            reached.add(dep);
            if (!w.dependsOn.includes(dep)) v.push(`${id(np)}: egress to ${dep}, which it does not depend on`);
            if (JSON.stringify(ports) !== JSON.stringify([`${grpcPortOf(dep)}/TCP`])) v.push(`${id(np)}: egress to ${dep} on ${ports}, not its gRPC port`);
          } else if (samePeer(peer, g.postgres.peer) && w.role === "service") {
            if (JSON.stringify(ports) !== JSON.stringify([`${g.postgres.port}/TCP`])) v.push(`${id(np)}: PostgreSQL egress on ${ports}`);
          } else if (samePeer(peer, g.rabbitmq.peer) && w.role === "service") {
            if (JSON.stringify(ports) !== JSON.stringify([`${g.rabbitmq.port}/TCP`])) v.push(`${id(np)}: RabbitMQ egress on ${ports}`);
          } else if (samePeer(peer, g.redis.peer) && w.role === "gateway") {
            if (JSON.stringify(ports) !== JSON.stringify([`${g.redis.port}/TCP`])) v.push(`${id(np)}: Redis egress on ${ports}`);
          } else if (samePeer(peer, g.otel.peer)) {
            if (JSON.stringify(ports) !== JSON.stringify(g.otel.ports.map((p) => `${p}/TCP`).sort())) v.push(`${id(np)}: collector egress on ${ports}`);
          } else {
            v.push(`${id(np)}: egress to an undeclared peer ${JSON.stringify(peer)}`);
          }
        }
      }
      for (const dep of w.dependsOn) if (!reached.has(dep)) v.push(`${id(np)}: no egress to its dependency ${dep}`);
    }
    return v;
  },

  "ServiceMonitor for every workload where the CRD exists (none otherwise), scraping its metrics port with the exported service label kept": (ctx) => {
    const monitors = of(ctx.objects, "ServiceMonitor");
    if (!ctx.crds) return monitors.map((m) => `${id(m)}: rendered although the cluster has no monitoring.coreos.com/v1 API`);
    return of(ctx.objects, "Deployment").flatMap((d) => {
      const m = monitors.find((x) => sameLabels(x.spec.selector.matchLabels, d.spec.selector.matchLabels));
      if (!m) return [`${id(d)}: no ServiceMonitor`];
      const service = of(ctx.objects, "Service").find((s) => sameLabels(s.spec.selector, d.spec.selector.matchLabels))!;
      return m.spec.endpoints.flatMap((e: any) => [
        ...(service.spec.ports.some((p: any) => p.name === e.port) ? [] : [`${id(m)}: port ${e.port} is not a port of ${id(service)}`]),
        ...(e.path === "/metrics" ? [] : [`${id(m)}: path ${e.path}`]),
        ...(e.honorLabels === true ? [] : [`${id(m)}: honorLabels must be true, or the metrics' service label becomes exported_service`]),
      ]);
    });
  },

  "PrometheusRule with every alert group where the CRD exists (none otherwise), each alert with a runbook": (ctx) => {
    const rules = of(ctx.objects, "PrometheusRule");
    if (!ctx.crds) return rules.map((r) => `${id(r)}: rendered although the cluster has no monitoring.coreos.com/v1 API`);
    if (rules.length !== 1) return [`PrometheusRule: ${rules.length} rendered, expected 1`];
    return rules[0]!.spec.groups.flatMap((group: any) =>
      group.rules.filter((r: any) => r.alert && !r.annotations?.runbook_url).map((r: any) => `${id(rules[0]!)}: alert ${r.alert} has no runbook_url`),
    );
  },

  "config checksum annotation on every pod template (rolls the pods when their ConfigMap changes)": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const checksum = d.spec.template.metadata.annotations?.["checksum/config"];
      return /^[a-f0-9]{64}$/.test(checksum ?? "") ? [] : [`${id(d)}: no checksum/config annotation (pods would not roll on config changes)`];
    }),

  "secrets only by reference: no Secret objects, no credentials in plain values": (ctx) => {
    const v = of(ctx.objects, "Secret").map((s) => `${id(s)}: the chart must not carry secrets`);
    // Names of addresses and ports derived from a workload's name ("API_TOKENS_ADDR") are not secrets.
    const secretishName = /(PASSWORD|SECRET|TOKEN|PRIVATE_?KEY|CREDENTIAL)/;
    const secretish = { test: (name: string) => secretishName.test(name) && !/_(ADDR|GRPC_PORT|HTTP_PORT)$/.test(name) };
    const credentialsInUrl = /:\/\/[^/\s:@$]+:[^@\s$]+@/;
    for (const d of of(ctx.objects, "Deployment")) {
      for (const c of containers(d)) {
        for (const e of c.env ?? []) {
          if (e.value !== undefined && secretish.test(e.name)) v.push(`${id(d)}: ${e.name} has a literal value; use secretKeyRef`);
          if (e.value !== undefined && credentialsInUrl.test(e.value)) v.push(`${id(d)}: ${e.name} embeds credentials`);
        }
      }
    }
    for (const cm of of(ctx.objects, "ConfigMap")) {
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        if (secretish.test(key)) v.push(`${id(cm)}: key ${key} looks like a secret`);
        if (credentialsInUrl.test(value)) v.push(`${id(cm)}: ${key} embeds credentials`);
      }
    }
    for (const d of of(ctx.objects, "Deployment").filter((x) => workloadOf(ctx, x)?.role === "service")) {
      const env = containers(d)[0].env ?? [];
      const url = env.find((e: any) => e.name === "DATABASE_URL");
      if (!url) v.push(`${id(d)}: no DATABASE_URL`);
      else if (url.value !== undefined && !(url.value.includes("$(DATABASE_PASSWORD)") && env.some((e: any) => e.name === "DATABASE_PASSWORD" && e.valueFrom?.secretKeyRef))) {
        v.push(`${id(d)}: DATABASE_URL does not take its password from a Secret`);
      }
    }
    return v;
  },

  "only the gateway is exposed: Ingress and HTTPRoute reach its HTTP port, on the public paths only": (ctx) => {
    const gateway = of(ctx.objects, "Service").find((s) => s.spec.selector?.["app.kubernetes.io/name"] === "gateway");
    const v: string[] = [];
    for (const ing of of(ctx.objects, "Ingress")) {
      for (const rule of ing.spec.rules ?? []) {
        for (const p of rule.http.paths) {
          if (p.backend.service?.name !== gateway?.metadata.name || p.backend.service?.port?.name !== "http") v.push(`${id(ing)}: ${p.path} routes to ${JSON.stringify(p.backend)}, not the gateway's http port`);
          if (!["/api", "/docs"].includes(p.path)) v.push(`${id(ing)}: exposes ${p.path}`);
        }
      }
    }
    for (const route of of(ctx.objects, "HTTPRoute")) {
      for (const rule of route.spec.rules ?? []) {
        for (const b of rule.backendRefs ?? []) if (b.name !== gateway?.metadata.name || b.port !== 4000) v.push(`${id(route)}: backend ${b.name}:${b.port} is not the gateway's HTTP port`);
        for (const m of rule.matches ?? []) if (!["/api", "/docs"].includes(m.path?.value)) v.push(`${id(route)}: exposes ${m.path?.value}`);
      }
    }
    return v;
  },

  "database migrations are safe with several replicas: surge-only rollouts gated on SERVING, and time to drain": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) => {
      const v: string[] = [];
      const s = d.spec.strategy;
      if (s?.type !== "RollingUpdate" || s.rollingUpdate?.maxUnavailable !== 0) v.push(`${id(d)}: rollouts must keep every old pod until a new one is ready (maxUnavailable: 0)`);
      const env = envConfig(ctx, d);
      const drain = Number(env.SHUTDOWN_DRAIN_MS ?? 0) + Number(env.SHUTDOWN_TIMEOUT_MS ?? 10000);
      if (podSpec(d).terminationGracePeriodSeconds * 1000 <= drain) v.push(`${id(d)}: terminationGracePeriodSeconds ${podSpec(d).terminationGracePeriodSeconds} s does not cover drain + shutdown (${drain} ms)`);
      return v;
    }),

  "labels: app.kubernetes.io name, instance, version, component, part-of, managed-by on every object; selectors on name and instance only": (ctx) =>
    ctx.objects.flatMap((o) => {
      const v: string[] = [];
      const labels = o.metadata.labels ?? {};
      for (const key of ["name", "instance", "part-of", "managed-by"]) if (!labels[`app.kubernetes.io/${key}`]) v.push(`${id(o)}: no app.kubernetes.io/${key} label`);
      if (o.kind === "Deployment") {
        for (const key of ["version", "component"]) if (!labels[`app.kubernetes.io/${key}`]) v.push(`${id(o)}: no app.kubernetes.io/${key} label`);
        if (JSON.stringify(Object.keys(o.spec.selector.matchLabels).sort()) !== JSON.stringify(["app.kubernetes.io/instance", "app.kubernetes.io/name"])) v.push(`${id(o)}: selector is not {name, instance}`);
      }
      return v;
    }),

  "every object names its namespace (the release's)": (ctx) => {
    const namespaces = new Set(ctx.objects.map((o) => o.metadata.namespace));
    return [
      ...ctx.objects.filter((o) => !o.metadata.namespace).map((o) => `${id(o)}: no metadata.namespace`),
      ...(namespaces.size > 1 ? [`objects span namespaces ${[...namespaces].join(", ")}`] : []),
    ];
  },

  "images are pinned: a registry path and a version tag or digest, never latest": (ctx) =>
    of(ctx.objects, "Deployment").flatMap((d) =>
      containers(d)
        .filter((c) => !/^[a-z0-9.\-/]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/.test(c.image) || /:latest$/.test(c.image) || !/[:@]/.test(c.image))
        .map((c) => `${id(d)}: image "${c.image}" is not pinned`),
    ),

  "the gateway gets the address of every installed service": (ctx) => {
    const services = ctx.workloads.filter((w) => w.role === "service");
    const d = of(ctx.objects, "Deployment").find((x) => component(x) === "gateway");
    if (!d) return ["gateway: no Deployment"];
    const env = envConfig(ctx, d);
    return services.flatMap((s) => {
      const key = `${s.name.toUpperCase().replace(/-/g, "_")}_ADDR`;
      const service = of(ctx.objects, "Service").find((x) => x.spec.selector?.["app.kubernetes.io/name"] === s.name);
      const expected = service && `dns:///${service.metadata.name}.`;
      return env[key]?.startsWith(expected ?? "\0") && env[key]!.endsWith(`:${s.ports.grpc}`) ? [] : [`${id(d)}: ${key}="${env[key]}" does not point at ${service ? id(service) : s.name}`];
    });
  },
};

