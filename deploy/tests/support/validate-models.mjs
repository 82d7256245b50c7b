// Validates Kubernetes objects (a JSON array on stdin) with kubernetes-models' validators, which
// are compiled from the Kubernetes OpenAPI schema (and the prometheus-operator and Gateway API CRD
// schemas): required fields, types, enums, formats. Prints [{index, errors}] as JSON. Plain ESM run
// by node because the models are ESM-only (jest runs CommonJS).
const MODULES = {
  "": "kubernetes-models",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const results = [];
for (const [index, object] of input.entries()) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const pkg = MODULES[group] ?? (group.endsWith(".k8s.io") || ["apps", "policy", "autoscaling", "batch"].includes(group) ? "kubernetes-models" : undefined);
  if (!pkg) {
    results.push({ index, errors: [`no schema for ${object.apiVersion} ${object.kind}`] });
    continue;
  }
  const path = group ? `${pkg}/${group}/${version}/${object.kind}` : `${pkg}/${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(path))[object.kind];
  } catch (error) {
    results.push({ index, errors: [`no schema for ${object.apiVersion} ${object.kind} (${path}): ${error.message}`] });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ index, errors: [] });
  } catch (error) {
    results.push({ index, errors: [error.message] });
  }
}
process.stdout.write(JSON.stringify(results));
