// Offline validation of rendered Kubernetes objects, two ways, both from registry packages:
//  1. kubernetes-models' validators, compiled from the Kubernetes OpenAPI schema and the
//     prometheus-operator / Gateway API CRD schemas (required fields, types, enums, formats);
//  2. the TypeScript declarations of the same models, with excess-property checks, so a misspelt
//     or misplaced field (which the OpenAPI validators let through) fails too.
// Custom resources of operators without models (CloudNativePG, RabbitMQ) are checked against the
// JSON schemas in deploy/schemas (written from the operators' API references, see its README).
import { join } from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import Ajv from "ajv";
import * as ts from "typescript";
import { REPO, runOk, id, type K8sObject } from "./tools";

const MODEL_PACKAGES: Record<string, string> = {
  "": "kubernetes-models",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

function modelModule(object: K8sObject): string | undefined {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const pkg = MODEL_PACKAGES[group!] ?? (group!.endsWith(".k8s.io") || ["apps", "policy", "autoscaling", "batch"].includes(group!) ? "kubernetes-models" : undefined);
  if (!pkg) return undefined;
  return group ? `${pkg}/${group}/${version}/${object.kind}` : `${pkg}/${version}/${object.kind}`;
}

/** Objects whose apiVersion has a kubernetes-models package. */
export function hasModel(object: K8sObject): boolean {
  return modelModule(object) !== undefined;
}

function validateWithModels(objects: K8sObject[]): string[] {
  const output = runOk(process.execPath, [join(__dirname, "validate-models.mjs")], { input: JSON.stringify(objects) });
  const results = JSON.parse(output) as Array<{ index: number; errors: string[] }>;
  return results.flatMap((r) => r.errors.map((e) => `${id(objects[r.index]!)}: ${e}`));
}

function typeCheck(objects: K8sObject[]): string[] {
  const file = join(REPO, "deploy", "tests", "support", "__rendered-objects__.ts");
  let text = "";
  const spans: Array<{ start: number; end: number; object: K8sObject }> = [];
  objects.forEach((object, i) => {
    const module = modelModule(object)!;
    text += `import type { I${object.kind} as T${i} } from ${JSON.stringify(module)};\n`;
  });
  objects.forEach((object, i) => {
    const start = text.length;
    text += `export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};\n`;
    spans.push({ start, end: text.length, object });
  });
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = ((read) => (name: string) => (name === file ? text : read(name)))(host.readFile.bind(host));
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file)!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    const span = spans.find((s) => d.start !== undefined && d.start >= s.start && d.start < s.end);
    if (!span || d.start === undefined) return `types: ${message}`;
    const { line } = source.getLineAndCharacterOfPosition(d.start);
    const lineText = text.split("\n")[line]!.trim();
    return `${id(span.object)}: ${message} (at ${lineText})`;
  });
}

let crdValidators: Map<string, ReturnType<Ajv["compile"]>> | undefined;
function validateCustomResources(objects: K8sObject[]): string[] {
  if (!crdValidators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addKeyword({ keyword: "x-kubernetes-group-version-kind" });
    crdValidators = new Map();
    const dir = join(REPO, "deploy", "schemas");
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const schema = JSON.parse(readFileSync(join(dir, name), "utf8")) as { "x-kubernetes-group-version-kind": { group: string; version: string; kind: string } };
      const gvk = schema["x-kubernetes-group-version-kind"];
      crdValidators.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, ajv.compile(schema));
    }
  }
  return objects.flatMap((o) => {
    const validate = crdValidators!.get(`${o.apiVersion}/${o.kind}`);
    if (!validate) return [`${id(o)}: no schema for ${o.apiVersion} ${o.kind} (add one to deploy/schemas)`];
    return validate(o) ? [] : (validate.errors ?? []).map((e) => `${id(o)}: ${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  });
}

/** Every problem found with `objects`, each naming its object; [] when all are valid. */
export function validateObjects(objects: K8sObject[]): string[] {
  const modelled = objects.filter(hasModel);
  const custom = objects.filter((o) => !hasModel(o));
  return [...(modelled.length ? [...validateWithModels(modelled), ...typeCheck(modelled)] : []), ...validateCustomResources(custom)];
}
