import { getOption, hasOption, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { field_behavior, FieldBehavior } from "@velaflows/proto/es/google/api/field_behavior_pb";
import { FieldFormat, rules as rulesOption, type FieldRules } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { FieldViolation } from "../errors/service-error";

/**
 * Checks a request against the `velaflows.api.v1.rules` and `google.api.field_behavior = REQUIRED`
 * declared on its fields, and returns every violation with the field's JSON path. Works on ts-proto
 * objects (services) and protobuf-es messages (the gateway): both key fields by their lowerCamel
 * local name. Proto3 defaults (0, "") count as "not given", so a bound like `min: 1` on `page`
 * applies only when a page is sent.
 */
export function validateMessage(desc: DescMessage, value: unknown): FieldViolation[] {
  const violations: FieldViolation[] = [];
  checkMessage(planFor(desc), value as Record<string, unknown>, "", violations);
  return violations;
}

interface FieldCheck {
  field: DescField;
  required: boolean;
  rules?: FieldRules;
  /** For message fields (and lists of messages) whose type has checks of its own. */
  nested?: MessagePlan;
}

interface MessagePlan {
  checks: FieldCheck[];
}

const plans = new WeakMap<DescMessage, MessagePlan>();

function planFor(desc: DescMessage): MessagePlan {
  let plan = plans.get(desc);
  if (plan) return plan;
  plan = { checks: [] };
  plans.set(desc, plan); // set before compiling fields, so recursive types terminate
  for (const field of desc.fields) {
    const rules = hasOption(field, rulesOption) ? getOption(field, rulesOption) : undefined;
    const required =
      (rules?.required ?? false) ||
      (hasOption(field, field_behavior) && getOption(field, field_behavior).includes(FieldBehavior.REQUIRED));
    const messageType = field.fieldKind === "message" ? field.message : field.fieldKind === "list" ? field.message : undefined;
    const nested = messageType ? planFor(messageType) : undefined;
    if (rules || required || (nested && nested.checks.length > 0)) {
      plan.checks.push({ field, required, rules, nested: nested && nested.checks.length > 0 ? nested : undefined });
    }
  }
  return plan;
}

function checkMessage(plan: MessagePlan, message: Record<string, unknown> | undefined, prefix: string, out: FieldViolation[]): void {
  for (const check of plan.checks) {
    const path = prefix + check.field.jsonName;
    const value = readField(message, check.field);
    if (check.field.fieldKind === "list") {
      const items = Array.isArray(value) ? value : [];
      if (items.length === 0) {
        if (check.required || (check.rules?.minItems ?? 0) > 0) out.push({ path, message: "is required" });
        continue;
      }
      if (check.rules?.minItems !== undefined && items.length < check.rules.minItems) {
        out.push({ path, message: `must have at least ${check.rules.minItems} items` });
      }
      if (check.rules?.maxItems !== undefined && items.length > check.rules.maxItems) {
        out.push({ path, message: `must have at most ${check.rules.maxItems} items` });
        continue; // checking each of thousands of items adds nothing to this answer
      }
      items.forEach((item, i) => checkValue(check, item, `${path}[${i}]`, out));
      continue;
    }
    if (isUnset(value)) {
      if (check.required) out.push({ path, message: "is required" });
      continue;
    }
    checkValue(check, value, path, out);
  }
}

function checkValue(check: FieldCheck, value: unknown, path: string, out: FieldViolation[]): void {
  if (check.nested) {
    if (typeof value === "object" && value !== null) checkMessage(check.nested, value as Record<string, unknown>, `${path}.`, out);
    return;
  }
  const rules = check.rules;
  if (!rules) return;
  if (typeof value === "string") {
    const message = checkString(rules, value);
    if (message) out.push({ path, message });
  } else if (typeof value === "number" || typeof value === "bigint") {
    const n = Number(value);
    if (rules.min !== undefined && n < rules.min) out.push({ path, message: `must be at least ${rules.min}` });
    else if (rules.max !== undefined && n > rules.max) out.push({ path, message: `must be at most ${rules.max}` });
  }
}

function checkString(rules: FieldRules, value: string): string | undefined {
  // Only list elements get here with "" (a singular "" is "not given"): an element is a value, so
  // it must pass the length, `in` and format rules like any other.
  if (value === "" && rules.required) return "is required";
  const length = [...value].length;
  if (rules.minLen !== undefined && length < rules.minLen) return `must be at least ${rules.minLen} characters`;
  if (rules.maxLen !== undefined && length > rules.maxLen) return `must be at most ${rules.maxLen} characters`;
  if (rules.in.length > 0 && !rules.in.includes(value)) return `must be one of: ${rules.in.join(", ")}`;
  const format = FORMATS[rules.format];
  if (format && !format.test(value)) return format.message;
  if (rules.pattern && !patternFor(rules.pattern).test(value)) return `must match ${rules.pattern}`;
  return undefined;
}

interface Format {
  test(value: string): boolean;
  message: string;
}

const FORMATS: Partial<Record<FieldFormat, Format>> = {
  [FieldFormat.EMAIL]: {
    test: (v) => v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    message: "must be a valid email address",
  },
  [FieldFormat.URL]: { test: isHttpUrl, message: "must be an absolute http(s) URL" },
  [FieldFormat.E164]: { test: (v) => /^\+[1-9]\d{7,14}$/.test(v), message: "must be a phone number in E.164 form (+14155551234)" },
  [FieldFormat.OBJECT_ID]: { test: (v) => /^[0-9a-f]{24}$/.test(v), message: "must be a 24-character hex id" },
  [FieldFormat.HEX_COLOR]: {
    test: (v) => /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
    message: "must be a hex colour such as #22c55e",
  },
};

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const patterns = new Map<string, RegExp>();
function patternFor(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(`^(?:${source})$`, "u")));
  return re;
}

function readField(message: Record<string, unknown> | undefined, field: DescField): unknown {
  if (!message) return undefined;
  if (field.oneof) {
    // protobuf-es keeps oneof members under the oneof's name as { case, value }; ts-proto flattens them.
    const group = message[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
    if (group && typeof group === "object" && "case" in group) return group.case === field.localName ? group.value : undefined;
  }
  return message[field.localName];
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === "" || value === 0 || value === BigInt(0);
}
