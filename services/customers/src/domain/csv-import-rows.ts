import { protoRegistry, validateMessage, type FieldViolation } from "@velaflows/kit";
import type { StoredMapping } from "../persistence/jobs.entity";
import type { NewCustomer } from "./customers";

/** The fields a CSV column can fill (besides "customProperties.<key>"). */
export const IMPORT_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "company",
  "language",
  "country",
  "avatarUrl",
  "ownerId",
  "source",
  "whatsapp",
  "telegram",
  "instagram",
  "messenger",
  "lastContactAt",
  "tags",
] as const;

/** A header is mapped to the field of the same name, ignoring case, spaces, "_" and "-". */
export function autoMapping(header: readonly string[]): StoredMapping[] {
  const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const aliases: Record<string, string> = { emailaddress: "email", mail: "email", phonenumber: "phone", mobile: "phone", firstname: "firstName", lastname: "lastName", surname: "lastName" };
  const mapping: StoredMapping[] = [];
  for (const column of header) {
    const folded = fold(column);
    const field = IMPORT_FIELDS.find((f) => fold(f) === folded) ?? aliases[folded];
    if (field) mapping.push({ column, field });
  }
  return mapping;
}

/** One CSV row read through the mapping. */
export interface ImportRow {
  customer: NewCustomer;
  /** Custom property values as read (text), when any column maps to one. */
  customProperties?: Record<string, unknown>;
  /** Which column each request path came from, to name the column of an error. */
  columnOf(path: string): string;
}

const createRequest = () => protoRegistry().getMessage("velaflows.customers.v1.CreateCustomerRequest")!;

/**
 * Reads one row: empty cells are "not given"; phones lose spaces, dashes, dots and brackets ("00"
 * becomes "+"); the country is upper-cased. Returns the row or the violations, by column.
 */
export function readRow(cells: readonly string[], header: readonly string[], mapping: readonly StoredMapping[]): ImportRow | { errors: { column: string; message: string }[] } {
  const customer: NewCustomer = {
    firstName: "",
    lastName: "",
    emails: [],
    phones: [],
    identities: { whatsapp: "", telegram: "", instagram: "", messenger: "", email: "" },
    company: "",
    language: "",
    country: "",
    avatarUrl: "",
    tagIds: [],
    ownerId: "",
    source: "import",
  };
  const columns = new Map<string, string>();
  const errors: { column: string; message: string }[] = [];
  let customProperties: Record<string, unknown> | undefined;
  for (const { column, field } of mapping) {
    const index = header.indexOf(column);
    const value = (cells[index] ?? "").trim();
    if (value === "") continue;
    if (field.startsWith("customProperties.")) {
      customProperties ??= {};
      const key = field.slice("customProperties.".length);
      customProperties[key] = value;
      columns.set(`customProperties.${key}`, column);
      continue;
    }
    switch (field) {
      case "email":
        columns.set(`emails[${customer.emails.length}].address`, column);
        customer.emails.push({ address: value.toLowerCase(), primary: false, label: "" });
        break;
      case "phone":
        columns.set(`phones[${customer.phones.length}].number`, column);
        customer.phones.push({ number: normalisePhone(value), primary: false, label: "" });
        break;
      case "whatsapp":
        columns.set("identities.whatsapp", column);
        customer.identities!.whatsapp = normalisePhone(value);
        break;
      case "telegram":
      case "instagram":
      case "messenger":
        columns.set(`identities.${field}`, column);
        customer.identities![field] = value;
        break;
      case "country":
        columns.set("country", column);
        customer.country = value.toUpperCase();
        break;
      case "lastContactAt": {
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) errors.push({ column, message: "is not a date" });
        else customer.lastContactAt = date;
        break;
      }
      case "tags":
        columns.set("tagIds", column);
        customer.tagIds = value.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
        break;
      default:
        columns.set(field, column);
        (customer as unknown as Record<string, string>)[field] = value;
    }
  }
  const violations: FieldViolation[] = validateMessage(createRequest(), customer);
  const columnOf = (path: string) => columns.get(path) ?? columns.get(path.replace(/^customer\./, "")) ?? [...columns].find(([p]) => path.startsWith(p))?.[1] ?? "";
  for (const v of violations) errors.push({ column: columnOf(v.path), message: `${v.path} ${v.message}` });
  if (errors.length > 0) return { errors };
  return { customer, customProperties, columnOf };
}

function normalisePhone(value: string): string {
  const compact = value.replace(/[\s().\-/]/g, "");
  return compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
}
