/** A variable macro text can use. */
export interface VariableInfo {
  name: string;
  description: string;
  example: string;
}

// The catalog of variables. "<key>" entries stand for any custom property key of that entity.
export const VARIABLES: readonly VariableInfo[] = [
  { name: "customer.firstName", description: "The customer's first name", example: "Ana" },
  { name: "customer.lastName", description: "The customer's last name", example: "Silva" },
  { name: "customer.name", description: "First and last name", example: "Ana Silva" },
  { name: "customer.email", description: "The customer's primary e-mail address", example: "ana@example.com" },
  { name: "customer.phone", description: "The customer's primary phone number (E.164)", example: "+351912345678" },
  { name: "customer.company", description: "The customer's company", example: "Acme" },
  { name: "customer.language", description: "The customer's language", example: "pt" },
  { name: "customer.country", description: "The customer's country", example: "PT" },
  { name: "customer.customProperties.<key>", description: "A custom property of the customer", example: "gold" },
  { name: "agent.name", description: "The agent's full name", example: "Sam Lee" },
  { name: "agent.firstName", description: "The agent's first name", example: "Sam" },
  { name: "agent.email", description: "The agent's e-mail address", example: "sam@example.com" },
  { name: "conversation.id", description: "The conversation's id", example: "6612a1b2c3d4e5f6a7b8c9d0" },
  { name: "conversation.displayId", description: "The conversation's number in the workspace", example: "1042" },
  { name: "conversation.channel", description: "The channel of the conversation", example: "whatsapp" },
  { name: "conversation.status", description: "The conversation's status", example: "open" },
  { name: "conversation.priority", description: "The conversation's priority", example: "high" },
  { name: "conversation.subject", description: "The conversation's subject (e-mail)", example: "Order #1042" },
  { name: "conversation.customProperties.<key>", description: "A custom property of the conversation", example: "ORD-1042" },
  { name: "workspace.name", description: "The workspace's name", example: "Acme Support" },
];

const FIXED = new Set(VARIABLES.filter((v) => !v.name.endsWith("<key>")).map((v) => v.name));
const WITH_KEY = VARIABLES.filter((v) => v.name.endsWith(".<key>")).map((v) => v.name.slice(0, -"<key>".length));
const KEY = /^[a-z][A-Za-z0-9_]*$/;

/** Whether `path` ("customer.firstName") is a variable VelaFlows knows. */
export function isKnownVariable(path: string): boolean {
  if (FIXED.has(path)) return true;
  const prefix = WITH_KEY.find((p) => path.startsWith(p));
  return prefix !== undefined && KEY.test(path.slice(prefix.length));
}

type Context = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/**
 * The value of a known variable in the render context, or undefined. Entities are read as their
 * services return them; a few variables are derived (customer.name from first and last name,
 * customer.email from the primary of `emails`, agent.firstName from the name).
 */
export function lookupVariable(context: Context, path: string): unknown {
  const direct = readPath(context, path.split("."));
  if (!isBlank(direct)) return direct;
  const customer = context.customer ?? {};
  switch (path) {
    case "customer.name":
      return joinNonBlank([customer.firstName, customer.lastName]);
    case "customer.email":
      return primaryOf(customer.emails, "email");
    case "customer.phone":
      return primaryOf(customer.phones, "phone");
    case "agent.firstName":
      return typeof context.agent?.name === "string" ? context.agent.name.trim().split(/\s+/)[0] : undefined;
    case "conversation.id":
      return context.conversation?._id;
    default:
      return undefined;
  }
}

function readPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function primaryOf(list: unknown, field: string): unknown {
  if (!Array.isArray(list)) return undefined;
  const entries = list.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null);
  const chosen = entries.find((e) => e.primary === true || e.isPrimary === true) ?? entries[0];
  return chosen?.[field] ?? chosen?.value;
}

function joinNonBlank(parts: unknown[]): string | undefined {
  const text = parts.filter((p) => typeof p === "string" && p.trim() !== "").join(" ");
  return text === "" ? undefined : text;
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

/** How a value reads in text: lists joined with commas, amounts with their currency. */
export function displayValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(displayValue).join(", ");
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("amount" in record && "currencyCode" in record) return `${displayValue(record.amount)} ${displayValue(record.currencyCode)}`;
    return JSON.stringify(value);
  }
  return "";
}
