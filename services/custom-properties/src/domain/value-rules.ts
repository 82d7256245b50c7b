import { ValidationError, type FieldViolation } from "@velaflows/kit";
import type { StoredOption } from "../persistence/property.entity";

/** What value checking needs of a property definition. */
export interface ValueDefinition {
  key: string;
  type: string;
  options: readonly StoredOption[];
  required: boolean;
  validationRegex: string;
  validationHint: string;
  defaultValue: unknown;
  active: boolean;
  currencyCode: string;
}

export const TEXT_MAX = 1000;
export const LONG_TEXT_MAX = 10_000;
const URL_MAX = 2048;
const EMAIL_MAX = 254;

const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{7,14}$/;
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

/** A checked value, or why it was refused. `empty` means "no value" (null, "", [] ...). */
type Checked = { value: unknown } | { empty: true } | { error: string };

/**
 * Checks one raw value against its definition and returns the canonical form stored by the owning
 * service. Type rules do not consider `required` or `active`; {@link normaliseValues} does.
 */
export function checkValue(definition: ValueDefinition, raw: unknown): Checked {
  if (raw === null || raw === undefined) return { empty: true };
  const checked = checkType(definition, raw);
  if (!("value" in checked) || !definition.validationRegex) return checked;
  if (typeof checked.value === "string" && !fullMatch(definition.validationRegex, checked.value)) {
    return { error: definition.validationHint || `must match ${definition.validationRegex}` };
  }
  return checked;
}

function checkType(definition: ValueDefinition, raw: unknown): Checked {
  switch (definition.type) {
    case "text":
      return checkText(raw, TEXT_MAX);
    case "long_text":
      return checkText(raw, LONG_TEXT_MAX);
    case "number":
      return checkNumber(raw);
    case "currency":
      return checkCurrency(raw, definition.currencyCode);
    case "boolean":
      if (typeof raw === "boolean") return { value: raw };
      if (raw === "true" || raw === "false") return { value: raw === "true" };
      return { error: "must be true or false" };
    case "date":
      return checkDate(raw);
    case "datetime":
      return checkDateTime(raw);
    case "select":
      return checkSelect(raw, definition.options);
    case "multi_select":
      return checkMultiSelect(raw, definition.options);
    case "url":
      return checkUrl(raw);
    case "email": {
      const text = checkText(raw, EMAIL_MAX);
      if (!("value" in text)) return text;
      const email = (text.value as string).toLowerCase();
      return EMAIL.test(email) ? { value: email } : { error: "must be an e-mail address" };
    }
    case "phone":
      return checkPhone(raw);
    case "relation":
      if (typeof raw !== "string") return { error: "must be a 24-character hex id" };
      if (raw.trim() === "") return { empty: true };
      return OBJECT_ID.test(raw.trim()) ? { value: raw.trim().toLowerCase() } : { error: "must be a 24-character hex id" };
    default:
      return { error: `has an unknown type ${definition.type}` };
  }
}

function checkText(raw: unknown, max: number): Checked {
  if (typeof raw !== "string") return { error: "must be a string" };
  const text = raw.normalize("NFC").trim();
  if (text === "") return { empty: true };
  if ([...text].length > max) return { error: `must be at most ${max} characters` };
  return { value: text };
}

function checkNumber(raw: unknown): Checked {
  if (typeof raw === "string") {
    if (raw.trim() === "") return { empty: true };
    if (!NUMERIC.test(raw.trim())) return { error: "must be a number" };
    raw = Number(raw.trim());
  }
  if (typeof raw !== "number" || !Number.isFinite(raw)) return { error: "must be a number" };
  return { value: Object.is(raw, -0) ? 0 : raw };
}

function checkCurrency(raw: unknown, currencyCode: string): Checked {
  let amount: unknown = raw;
  let code = currencyCode;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    const extra = Object.keys(record).filter((k) => k !== "amount" && k !== "currencyCode");
    if (extra.length > 0) return { error: `must be {"amount", "currencyCode"}; unexpected ${extra.join(", ")}` };
    amount = record.amount;
    if (record.currencyCode !== undefined && record.currencyCode !== null && record.currencyCode !== "") {
      if (typeof record.currencyCode !== "string" || !CURRENCY_CODE.test(record.currencyCode.toUpperCase())) {
        return { error: "currencyCode must be a three-letter ISO 4217 code" };
      }
      code = record.currencyCode.toUpperCase();
    }
  }
  if (amount === null || amount === undefined) return { error: "must have an amount" };
  const number = checkNumber(amount);
  if ("empty" in number) return { error: "must have an amount" };
  if ("error" in number) return { error: "amount must be a number" };
  if (!code) return { error: "must name its currencyCode" };
  return { value: { amount: number.value, currencyCode: code } };
}

function checkDate(raw: unknown): Checked {
  if (typeof raw !== "string") return { error: "must be a date (YYYY-MM-DD)" };
  const text = raw.trim();
  if (text === "") return { empty: true };
  const date = DATE.exec(text);
  if (date) return validCalendarDate(Number(date[1]), Number(date[2]), Number(date[3])) ? { value: text } : { error: "must be a valid date" };
  // A full timestamp is accepted and reduced to its UTC date.
  if (DATETIME.test(text) && !Number.isNaN(Date.parse(text))) return { value: new Date(text).toISOString().slice(0, 10) };
  return { error: "must be a date (YYYY-MM-DD)" };
}

function checkDateTime(raw: unknown): Checked {
  if (typeof raw !== "string") return { error: "must be an ISO 8601 date-time with a time zone" };
  const text = raw.trim();
  if (text === "") return { empty: true };
  const date = DATE.exec(text.slice(0, 10));
  if (!DATETIME.test(text) || !date || !validCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    return { error: "must be an ISO 8601 date-time with a time zone" };
  }
  const parsed = Date.parse(text.replace(" ", "T"));
  if (Number.isNaN(parsed)) return { error: "must be an ISO 8601 date-time with a time zone" };
  return { value: new Date(parsed).toISOString() };
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An option by its value, or (for imports and forms) by its label ignoring case. */
function findOption(options: readonly StoredOption[], raw: string): StoredOption | undefined {
  const text = raw.trim();
  return options.find((o) => o.value === text) ?? options.find((o) => o.label.toLowerCase() === text.toLowerCase());
}

function optionList(options: readonly StoredOption[]): string {
  return options.map((o) => o.value).join(", ");
}

function checkSelect(raw: unknown, options: readonly StoredOption[]): Checked {
  if (typeof raw !== "string") return { error: "must be one of the property's options" };
  if (raw.trim() === "") return { empty: true };
  const option = findOption(options, raw);
  return option ? { value: option.value } : { error: `must be one of: ${optionList(options)}` };
}

function checkMultiSelect(raw: unknown, options: readonly StoredOption[]): Checked {
  const items = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(items)) return { error: "must be a list of the property's options" };
  const chosen = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string") return { error: "must be a list of the property's options" };
    const option = findOption(options, item);
    if (!option) return { error: `has "${item}", not one of: ${optionList(options)}` };
    chosen.add(option.value);
  }
  if (chosen.size === 0) return { empty: true };
  // Option order, so the same choice is always stored the same way.
  return { value: options.filter((o) => chosen.has(o.value)).map((o) => o.value) };
}

function checkUrl(raw: unknown): Checked {
  const text = checkText(raw, URL_MAX);
  if (!("value" in text)) return text;
  try {
    const url = new URL(text.value as string);
    if (url.protocol !== "http:" && url.protocol !== "https:") return { error: "must be an http(s) URL" };
    return { value: text.value };
  } catch {
    return { error: "must be an http(s) URL" };
  }
}

function checkPhone(raw: unknown): Checked {
  if (typeof raw !== "string") return { error: "must be a phone number in E.164 form, such as +14155552671" };
  let text = raw.trim().replace(/[\s().-]/g, "");
  if (text === "") return { empty: true };
  if (text.startsWith("00")) text = `+${text.slice(2)}`;
  return E164.test(text) ? { value: text } : { error: "must be a phone number in E.164 form, such as +14155552671" };
}

const compiled = new Map<string, RegExp>();

/** Whether the whole of `value` matches `pattern` (an ECMAScript regular expression). */
export function fullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, "u");
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

/** Options of {@link normaliseValues}. */
export interface NormaliseOptions {
  /** A patch: required properties may be missing, no defaults, null clears. */
  partial: boolean;
  /** The path violations are named under: "customProperties" gives "customProperties.<key>". */
  pathPrefix: string;
  /** For messages: "customer". */
  entityType: string;
}

/**
 * Checks and normalises the custom property values of one entity write against the definitions
 * of its type; throws one ValidationError naming every offending key.
 */
export function normaliseValues(definitions: readonly ValueDefinition[], values: Readonly<Record<string, unknown>>, options: NormaliseOptions): Record<string, unknown> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const violations: FieldViolation[] = [];
  const normalised: Record<string, unknown> = {};
  const path = (key: string) => `${options.pathPrefix}.${key}`;

  for (const [key, raw] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) {
      violations.push({ path: path(key), message: `is not a custom property of ${options.entityType}` });
      continue;
    }
    const checked = checkValue(definition, raw);
    if ("error" in checked) {
      violations.push({ path: path(key), message: checked.error });
    } else if ("value" in checked) {
      if (!definition.active) violations.push({ path: path(key), message: "is deactivated: new values are not accepted" });
      else normalised[key] = checked.value;
    } else if (options.partial) {
      if (definition.active && definition.required) violations.push({ path: path(key), message: "is required" });
      else normalised[key] = null; // a patch clearing the value
    }
  }

  if (!options.partial) {
    for (const definition of definitions) {
      if (!definition.active || definition.key in normalised) continue;
      if (definition.defaultValue !== null && definition.defaultValue !== undefined) normalised[definition.key] = definition.defaultValue;
      else if (definition.required && !violations.some((v) => v.path === path(definition.key))) {
        violations.push({ path: path(definition.key), message: "is required" });
      }
    }
  }

  if (violations.length > 0) throw new ValidationError(violations, "Custom property values are invalid");
  return normalised;
}
