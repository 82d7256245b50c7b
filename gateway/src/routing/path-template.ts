import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { PathTemplate, TemplateSegment, TemplateVariable } from "./route";

/**
 * Parses and checks an HttpRule path template against the request message:
 *
 *     Template = "/" Segments [ Verb ] ;  Segments = Segment { "/" Segment } ;
 *     Segment  = "*" | "**" | LITERAL | Variable ;  Variable = "{" FieldPath [ "=" Segments ] "}" ;
 *     Verb     = ":" LITERAL ;
 *
 * `{field}` means `{field=*}`. `**` may only be the last segment. Variables name singular scalar
 * fields, through singular message fields for nested paths. Throws a message naming the template.
 */
export function parsePathTemplate(source: string, input: DescMessage): PathTemplate {
  const fail = (why: string): never => {
    throw new Error(`Invalid path template "${source}" on ${input.typeName}: ${why}`);
  };
  if (!source.startsWith("/")) fail("it must start with /");
  const { path, verb } = splitVerb(source.slice(1), fail);
  const segments: TemplateSegment[] = [];
  const variables: TemplateVariable[] = [];
  for (const part of splitTopLevel(path, fail)) {
    if (part.startsWith("{")) {
      if (!part.endsWith("}")) fail(`unterminated variable "${part}"`);
      const inner = part.slice(1, -1);
      const eq = inner.indexOf("=");
      const fieldPath = eq < 0 ? inner : inner.slice(0, eq);
      const pattern = eq < 0 ? "*" : inner.slice(eq + 1);
      if (pattern.includes("{")) fail(`variables cannot contain variables ("${part}")`);
      const fields = resolveFieldPath(input, fieldPath, fail);
      const start = segments.length;
      for (const sub of pattern.split("/")) segments.push(parseSegment(sub, fail));
      const endsDeep = segments[segments.length - 1]!.kind === "deep";
      variables.push({ fields, start, end: endsDeep ? undefined : segments.length });
    } else {
      segments.push(parseSegment(part, fail));
    }
  }
  const deep = segments.findIndex((s) => s.kind === "deep");
  if (deep >= 0 && deep !== segments.length - 1) fail("** may only be the last segment");
  const bound = new Set<string>();
  for (const variable of variables) {
    const key = variable.fields.map((f) => f.name).join(".");
    if (bound.has(key)) fail(`field "${key}" is bound twice`);
    bound.add(key);
  }
  return { source, segments, variables, verb };
}

function splitVerb(path: string, fail: (why: string) => never): { path: string; verb?: string } {
  // The verb is the text after the first ":" that follows the last "/" and the last "}".
  const tailStart = Math.max(path.lastIndexOf("/"), path.lastIndexOf("}")) + 1;
  const colon = path.indexOf(":", tailStart);
  if (colon < 0) return { path };
  const verb = path.slice(colon + 1);
  if (verb.length === 0) fail("empty :verb");
  return { path: path.slice(0, colon), verb };
}

// Splits on "/" outside braces, so `{name=shelves/*/books/*}` stays one part.
function splitTopLevel(path: string, fail: (why: string) => never): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of path) {
    if (char === "{") depth++;
    if (char === "}") depth--;
    if (depth < 0 || depth > 1) fail("unbalanced or nested braces");
    if (char === "/" && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (depth !== 0) fail("unbalanced braces");
  parts.push(current);
  return parts;
}

function parseSegment(text: string, fail: (why: string) => never): TemplateSegment {
  if (text === "*") return { kind: "wildcard" };
  if (text === "**") return { kind: "deep" };
  if (text.length === 0) fail("empty segment");
  if (/[{}*:?#]/.test(text)) fail(`invalid literal segment "${text}"`);
  return { kind: "literal", value: text };
}

function resolveFieldPath(input: DescMessage, path: string, fail: (why: string) => never): DescField[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) fail(`invalid field path "${path}"`);
  const fields: DescField[] = [];
  let message: DescMessage | undefined = input;
  const names = path.split(".");
  names.forEach((name, i) => {
    const field: DescField | undefined = message?.fields.find((f) => f.name === name);
    if (!field) fail(`${message?.typeName ?? "?"} has no field "${name}"`);
    fields.push(field!);
    const last = i === names.length - 1;
    if (field!.fieldKind === "list" || field!.fieldKind === "map") fail(`field "${path}" is repeated or a map; path variables must be singular`);
    if (last && field!.fieldKind === "message") fail(`field "${path}" is a message; path variables must be scalars`);
    if (!last && field!.fieldKind !== "message") fail(`field "${names.slice(0, i + 1).join(".")}" is not a message`);
    message = field!.fieldKind === "message" ? field!.message : undefined;
  });
  return fields;
}
