import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { PathTemplate } from "../routing/route";

/** One `{name}` of an OpenAPI path and what it binds. */
export interface OpenApiPathParameter {
  /** The parameter name: the JSON path of the bound field (`entity.entityType`), or `wildcardN`. */
  name: string;
  /** The bound field chain from the request message; empty for a bare `*`/`**` that binds nothing. */
  fields: DescField[];
  /** The variable's segment pattern when it is not a single `*`: `projects/*\/books/*`, `**`. */
  segmentPattern?: string;
  /** A regular expression the value matches, derived from `segmentPattern`. */
  valuePattern?: string;
}

/** An HttpRule template written as an OpenAPI path. */
export interface OpenApiPath {
  /** E.g. `/api/v1/tags/{tagId}/entities/{entity.entityType}/{entity.entityId}`, `/v1/{name}:publish`. */
  path: string;
  /** The path parameters, in template order. */
  parameters: OpenApiPathParameter[];
}

/**
 * Converts an HttpRule path template to an OpenAPI path. Each variable becomes one parameter named
 * by its field's JSON path, whatever its segment pattern (`{name=projects/*\/books/*}` → `{name}`,
 * whose value then contains slashes); literals and the `:verb` suffix are kept as written, and a
 * bare `*` or `**` outside a variable becomes a `wildcardN` parameter. Reads `template.source`
 * (the grammar is small) and takes the bound fields from `template.variables`, falling back to a
 * lookup by proto name in `request`.
 */
export function openApiPath(template: PathTemplate, request: DescMessage): OpenApiPath {
  const source = template.source;
  const parameters: OpenApiPathParameter[] = [];
  let path = "";
  let wildcards = 0;
  let i = 0;
  while (i < source.length) {
    if (source[i] === "{") {
      const close = source.indexOf("}", i);
      if (close < 0) throw new Error(`Unclosed variable in path template ${source}`);
      const [fieldPath = "", segmentPattern] = source.slice(i + 1, close).split("=", 2);
      const fields = resolveFields(template, request, fieldPath);
      const parameter: OpenApiPathParameter = { name: fields.map((f) => f.jsonName).join("."), fields };
      if (segmentPattern !== undefined && segmentPattern !== "*") {
        parameter.segmentPattern = segmentPattern;
        parameter.valuePattern = `^${segmentsRegExp(segmentPattern)}$`;
      }
      parameters.push(parameter);
      path += `{${parameter.name}}`;
      i = close + 1;
      continue;
    }
    // Literal text up to the next variable, with bare wildcards turned into parameters.
    const next = source.indexOf("{", i);
    const literal = source.slice(i, next < 0 ? source.length : next);
    path += literal.replace(/(?<=^|\/)(\*\*?)(?=$|\/|:)/g, (wildcard: string) => {
      const name = `wildcard${++wildcards}`;
      parameters.push({ name, fields: [], segmentPattern: wildcard, valuePattern: wildcard === "**" ? "^.*$" : undefined });
      return `{${name}}`;
    });
    i += literal.length;
  }
  return { path, parameters };
}

function resolveFields(template: PathTemplate, request: DescMessage, fieldPath: string): DescField[] {
  const bound = template.variables.find((v) => v.fields.map((f) => f.name).join(".") === fieldPath);
  if (bound) return bound.fields;
  const fields: DescField[] = [];
  let message: DescMessage | undefined = request;
  for (const name of fieldPath.split(".")) {
    const field: DescField | undefined = message?.fields.find((f) => f.name === name);
    if (!field) throw new Error(`Path template ${template.source} binds ${fieldPath}, which ${request.typeName} does not have`);
    fields.push(field);
    message = field.fieldKind === "message" ? field.message : undefined;
  }
  return fields;
}

/** `projects/*\/books/*` → `projects/[^/]+/books/[^/]+`; `**` matches the rest, slashes included. */
function segmentsRegExp(pattern: string): string {
  return pattern
    .split("/")
    .map((segment) => (segment === "**" ? ".*" : segment === "*" ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
}
