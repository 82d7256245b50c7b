import { ValidationError, type FieldViolation } from "@velaflows/kit";
import type { ChannelIdentities, ConsentFlags, ContactEmail, ContactPhone } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import {
  CONSENT_CHANNELS,
  IDENTITY_CHANNELS,
  type CustomerEntity,
  type StoredConsent,
  type StoredEmail,
  type StoredIdentities,
  type StoredPhone,
} from "../persistence/customer.entity";
import type { CustomerKey } from "../persistence/customer.repository";
import { searchWords } from "../persistence/customer-filter";

/**
 * Trims and lower-cases addresses and settles the primary: duplicates are refused, more than one
 * primary is refused, and without one the first address is primary.
 */
export function cleanEmails(emails: readonly ContactEmail[], path: string): StoredEmail[] {
  const cleaned = emails.map((e) => ({ address: e.address.trim().toLowerCase(), primary: e.primary, label: e.label.trim() }));
  return settlePrimary(cleaned, (e) => e.address, path, "address");
}

/** Numbers are E.164 already (checked by the field rules); duplicates and two primaries are refused. */
export function cleanPhones(phones: readonly ContactPhone[], path: string): StoredPhone[] {
  const cleaned = phones.map((p) => ({ number: p.number.trim(), primary: p.primary, label: p.label.trim() }));
  return settlePrimary(cleaned, (p) => p.number, path, "number");
}

function settlePrimary<T extends { primary: boolean }>(items: T[], keyOf: (item: T) => string, path: string, field: string): T[] {
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(keyOf(item))) violations.push({ path: `${path}[${i}].${field}`, message: "is listed twice" });
    seen.add(keyOf(item));
  });
  const primaries = items.filter((item) => item.primary).length;
  if (primaries > 1) violations.push({ path, message: "only one entry may be primary" });
  if (violations.length > 0) throw new ValidationError(violations);
  if (items.length > 0 && primaries === 0) items[0]!.primary = true;
  // The primary first, so it is shown first and `[0]` is always the primary.
  return [...items].sort((a, b) => Number(b.primary) - Number(a.primary));
}

export function cleanIdentities(identities: ChannelIdentities | undefined): StoredIdentities {
  const stored: StoredIdentities = {};
  for (const channel of IDENTITY_CHANNELS) {
    const value = identities?.[channel]?.trim() ?? "";
    if (value) stored[channel] = channel === "email" ? value.toLowerCase() : value;
  }
  return stored;
}

/** Only channels with a flag set are stored; an opt-out cancels an opt-in on the same channel. */
export function cleanConsent(consent: ConsentFlags | undefined): StoredConsent {
  const stored: StoredConsent = {};
  for (const channel of CONSENT_CHANNELS) {
    const flags = consent?.[channel];
    if (flags && (flags.optedIn || flags.optedOut)) stored[channel] = { optedIn: flags.optedIn && !flags.optedOut, optedOut: flags.optedOut };
  }
  return stored;
}

export function optedOutChannels(consent: StoredConsent): string[] {
  return CONSENT_CHANNELS.filter((channel) => consent[channel]?.optedOut);
}

/** Every e-mail, phone and channel identity of a customer: unique per workspace. */
export function keysOf(customer: Pick<CustomerEntity, "emails" | "phones" | "identities">): CustomerKey[] {
  const keys = new Map<string, CustomerKey>();
  const add = (kind: string, value: string) => keys.set(`${kind}\u0000${value}`, { kind, value });
  for (const email of customer.emails) add("email", email.address);
  for (const phone of customer.phones) add("phone", phone.number);
  for (const channel of IDENTITY_CHANNELS) {
    const value = customer.identities[channel];
    if (value) add(channel, value);
  }
  return [...keys.values()];
}

/**
 * The fields derived from the stored ones: primaries, the name sort key, opt-out channels and the
 * search document. Phones are indexed with every suffix of 3+ digits, so "0123" finds
 * "+15555550123" as a prefix match does for names.
 */
export function derivedFields(customer: Pick<CustomerEntity, "firstName" | "lastName" | "company" | "emails" | "phones" | "identities" | "consent">) {
  const words = new Set<string>();
  const addText = (text: string) => searchWords(text).forEach((w) => words.add(w));
  addText(customer.firstName);
  addText(customer.lastName);
  addText(customer.company);
  for (const email of customer.emails) addText(email.address);
  const numbers = [...customer.phones.map((p) => p.number), customer.identities.whatsapp ?? ""].filter(Boolean);
  for (const number of numbers) {
    const digits = number.replace(/\D/g, "");
    for (let i = 0; i <= digits.length - 3; i++) words.add(digits.slice(i));
  }
  return {
    primaryEmail: customer.emails[0]?.address ?? null,
    primaryPhone: customer.phones[0]?.number ?? null,
    nameKey: [customer.firstName, customer.lastName].filter(Boolean).join(" ").toLowerCase().slice(0, 201),
    optedOutChannels: optedOutChannels(customer.consent),
    searchDocument: [...words].join(" "),
  };
}
