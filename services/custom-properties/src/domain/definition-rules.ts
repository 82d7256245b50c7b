import { ValidationError, type FieldViolation } from "@velaflows/kit";
import type { StoredOption } from "../persistence/property.entity";
import { collidingBuiltInField } from "./entity-types";
import { REGEX_TYPES, SELECT_TYPES } from "./property-types";
import { checkValue } from "./value-rules";

/** The colour of an option given none (Tailwind gray-500, as tags). */
export const DEFAULT_OPTION_COLOR = "#6b7280";
// Every write of every entity runs these expressions, so a catastrophically backtracking one (a
// quantified group containing a quantifier, the classic ReDoS shape) is refused when defined.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

/** The currency of a currency property created without one. */
export const DEFAULT_CURRENCY = "USD";

/** The settable parts of a definition, as given by the caller (proto3 defaults mean "not given"). */
export interface DefinitionInput {
  label: string;
  description: string;
  type: string;
  options: readonly { value: string; label: string; color: string; order: number }[];
  required: boolean;
  validationRegex: string;
  validationHint: string;
  /** Absent or null: no default. */
  defaultValue?: unknown;
  relationEntityType: string;
  currencyCode: string;
}

/** A definition checked and in canonical form. */
export interface CleanDefinition {
  label: string;
  description: string;
  type: string;
  options: StoredOption[];
  required: boolean;
  validationRegex: string;
  validationHint: string;
  /** Normalised; null when there is none. */
  defaultValue: unknown;
  relationEntityType: string;
  currencyCode: string;
}

/** Refuses a key that collides with a built-in field of the entity type. */
export function checkKey(entityType: string, key: string, path = "key"): void {
  const builtIn = collidingBuiltInField(entityType, key);
  if (builtIn) throw new ValidationError([{ path, message: `collides with the built-in field "${builtIn}" of ${entityType}` }]);
}

/**
 * Checks a whole definition (on create, or the result of an update) and returns its canonical form.
 * `path` maps a field's JSON name to the request path it came from ("label" or "property.label").
 */
export function cleanDefinition(input: DefinitionInput, path: (field: string) => string = (f) => f): CleanDefinition {
  const violations: FieldViolation[] = [];
  const isSelect = SELECT_TYPES.includes(input.type);

  const label = input.label.normalize("NFC").trim();
  if (label === "") violations.push({ path: path("label"), message: "is required" });

  let options: StoredOption[] = [];
  if (isSelect) {
    options = cleanOptions(input.options, path, violations);
  } else if (input.options.length > 0) {
    violations.push({ path: path("options"), message: "only select and multi_select properties have options" });
  }

  if (input.type === "relation" && !input.relationEntityType) {
    violations.push({ path: path("relationEntityType"), message: "is required for a relation property" });
  } else if (input.type !== "relation" && input.relationEntityType) {
    violations.push({ path: path("relationEntityType"), message: "only relation properties refer to another entity type" });
  }

  let currencyCode = input.currencyCode;
  if (input.type === "currency") currencyCode ||= DEFAULT_CURRENCY;
  else if (currencyCode) violations.push({ path: path("currencyCode"), message: "only currency properties have a currency code" });

  const validationRegex = input.validationRegex;
  if (validationRegex) {
    if (!REGEX_TYPES.includes(input.type)) {
      violations.push({ path: path("validationRegex"), message: `only ${REGEX_TYPES.join(", ")} properties can have a regular expression` });
    } else {
      try {
        new RegExp(`^(?:${validationRegex})$`, "u");
        if (NESTED_QUANTIFIER.test(validationRegex)) {
          violations.push({ path: path("validationRegex"), message: "must not repeat a group that itself repeats, such as (a+)+: matching could take exponential time" });
        }
      } catch {
        violations.push({ path: path("validationRegex"), message: "is not a valid regular expression" });
      }
    }
  }
  if (input.validationHint && !validationRegex) violations.push({ path: path("validationHint"), message: "needs a validationRegex" });

  const clean: CleanDefinition = {
    label,
    description: input.description.normalize("NFC").trim(),
    type: input.type,
    options,
    required: input.required,
    validationRegex,
    validationHint: input.validationHint.trim(),
    defaultValue: null,
    relationEntityType: input.type === "relation" ? input.relationEntityType : "",
    currencyCode: input.type === "currency" ? currencyCode : "",
  };

  if (input.defaultValue !== null && input.defaultValue !== undefined && violations.length === 0) {
    const checked = checkValue({ key: "", ...clean, active: true }, input.defaultValue);
    if ("error" in checked) violations.push({ path: path("defaultValue"), message: checked.error });
    else if ("value" in checked) clean.defaultValue = checked.value;
  }

  if (violations.length > 0) throw new ValidationError(violations);
  return clean;
}

// Options are stored sorted by their order and renumbered 0, 1, ...; values and labels are unique
// ignoring case, because values may be given by label.
function cleanOptions(input: DefinitionInput["options"], path: (field: string) => string, violations: FieldViolation[]): StoredOption[] {
  if (input.length === 0) {
    violations.push({ path: path("options"), message: "a select property needs at least one option" });
    return [];
  }
  const seenValues = new Set<string>();
  const seenLabels = new Set<string>();
  const cleaned = input.map((option, index) => {
    const value = option.value.normalize("NFC").trim();
    const label = option.label.normalize("NFC").trim();
    if (value === "") violations.push({ path: path(`options[${index}].value`), message: "is required" });
    if (label === "") violations.push({ path: path(`options[${index}].label`), message: "is required" });
    if (seenValues.has(value.toLowerCase())) violations.push({ path: path(`options[${index}].value`), message: `"${value}" is used twice` });
    if (seenLabels.has(label.toLowerCase())) violations.push({ path: path(`options[${index}].label`), message: `"${label}" is used twice` });
    seenValues.add(value.toLowerCase());
    seenLabels.add(label.toLowerCase());
    return { value, label, color: option.color ? option.color.toLowerCase() : DEFAULT_OPTION_COLOR, order: option.order, index };
  });
  return cleaned
    .sort((a, b) => a.order - b.order || a.index - b.index)
    .map(({ value, label, color }, order) => ({ value, label, color, order }));
}
