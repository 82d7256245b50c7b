/** The value types a property can have. */
export const PROPERTY_TYPES = [
  "text",
  "long_text",
  "number",
  "currency",
  "boolean",
  "date",
  "datetime",
  "select",
  "multi_select",
  "url",
  "email",
  "phone",
  "relation",
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const SELECT_TYPES: readonly string[] = ["select", "multi_select"];
/** Types whose values are strings a `validation_regex` can apply to. */
export const REGEX_TYPES: readonly string[] = ["text", "long_text", "url", "email", "phone"];

// A type change is allowed only when every value stored under the old type is still a valid value
// of the new one, because values live in other services and are not rewritten: widening to free
// text, never the other way.
const ALLOWED_TYPE_CHANGES: Readonly<Record<string, readonly string[]>> = {
  text: ["long_text"],
  email: ["text", "long_text"],
  url: ["text", "long_text"],
  phone: ["text", "long_text"],
  select: ["text", "long_text"],
};

export function typeChangeAllowed(from: string, to: string): boolean {
  return from === to || (ALLOWED_TYPE_CHANGES[from] ?? []).includes(to);
}

export function allowedTypeChanges(from: string): readonly string[] {
  return ALLOWED_TYPE_CHANGES[from] ?? [];
}
