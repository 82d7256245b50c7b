import { displayValue, isBlank, isKnownVariable, lookupVariable } from "./variables";

// `{{ path }}` or `{{ path | default: "fallback" }}`; paths are dotted identifiers.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:\|\s*default:\s*"((?:[^"\\]|\\.)*)"\s*)?\}\}/g;

/** A placeholder found in a text. */
interface Placeholder {
  start: number;
  end: number;
  path: string;
  fallback?: string;
}

function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    path: m[1]!,
    fallback: m[2] === undefined ? undefined : m[2].replace(/\\(.)/g, "$1"),
  }));
}

/**
 * What is wrong with a template, for saving: every "{{" must open a well-formed placeholder
 * naming a known variable. Returns messages, empty when the template is fine.
 */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  const found = placeholders(text);
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open < 0) break;
    const placeholder = found.find((p) => p.start === open);
    if (!placeholder) {
      const snippet = text.slice(open, Math.min(text.length, open + 40)).split("\n")[0];
      problems.push(`has a malformed variable at "${snippet}": use {{customer.firstName}} or {{customer.firstName | default: "there"}}`);
      from = open + 2;
      continue;
    }
    if (!isKnownVariable(placeholder.path)) problems.push(`uses the unknown variable {{${placeholder.path}}} (see GET /api/v1/macros/variables)`);
    from = placeholder.end;
  }
  return problems;
}

/** A rendered text and the variables it could not fill. */
export interface Rendered {
  text: string;
  missing: string[];
  unknown: string[];
}

/** Replaces each placeholder with its value, else its fallback, else nothing (and reports it). */
export function renderTemplate(text: string, context: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>): Rendered {
  const missing = new Set<string>();
  const unknown = new Set<string>();
  let out = "";
  let last = 0;
  for (const placeholder of placeholders(text)) {
    out += text.slice(last, placeholder.start);
    last = placeholder.end;
    if (!isKnownVariable(placeholder.path)) {
      unknown.add(placeholder.path);
      out += placeholder.fallback ?? "";
      continue;
    }
    const value = lookupVariable(context, placeholder.path);
    if (!isBlank(value)) out += displayValue(value);
    else if (placeholder.fallback !== undefined) out += placeholder.fallback;
    else missing.add(placeholder.path);
  }
  out += text.slice(last);
  return { text: out, missing: [...missing], unknown: [...unknown] };
}
