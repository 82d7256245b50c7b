import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** One e-mail address as stored (lower-case). */
export interface StoredEmail {
  address: string;
  primary: boolean;
  label: string;
}

/** One phone number as stored (E.164). */
export interface StoredPhone {
  number: string;
  primary: boolean;
  label: string;
}

/** Channel → handle; absent channels are not stored. */
export type StoredIdentities = Partial<Record<IdentityChannel, string>>;
export const IDENTITY_CHANNELS = ["whatsapp", "telegram", "instagram", "messenger", "email"] as const;
export type IdentityChannel = (typeof IDENTITY_CHANNELS)[number];

/** Channel → consent; absent channels have neither flag. */
export type StoredConsent = Partial<Record<ConsentChannel, { optedIn: boolean; optedOut: boolean }>>;
export const CONSENT_CHANNELS = ["whatsapp", "telegram", "instagram", "messenger", "email", "sms"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

@Entity({ name: "customers" })
export class CustomerEntity extends WorkspaceEntity {
  @Column("varchar", { name: "first_name", length: 100, default: "" })
  firstName: string;

  @Column("varchar", { name: "last_name", length: 100, default: "" })
  lastName: string;

  /** "first last", lower case: the "name" sort. */
  @Column("varchar", { name: "name_key", length: 201, default: "" })
  nameKey: string;

  @Column("jsonb", { default: () => "'[]'" })
  emails: StoredEmail[];

  @Column("jsonb", { default: () => "'[]'" })
  phones: StoredPhone[];

  @Column("varchar", { name: "primary_email", length: 254, nullable: true })
  primaryEmail: string | null;

  @Column("varchar", { name: "primary_phone", length: 16, nullable: true })
  primaryPhone: string | null;

  @Column("jsonb", { default: () => "'{}'" })
  identities: StoredIdentities;

  @Column("varchar", { length: 200, default: "" })
  company: string;

  @Column("varchar", { length: 35, default: "" })
  language: string;

  @Column("varchar", { length: 2, default: "" })
  country: string;

  @Column("varchar", { name: "avatar_url", length: 2048, default: "" })
  avatarUrl: string;

  @Column("jsonb", { default: () => "'{}'" })
  consent: StoredConsent;

  /** The channels with an opt-out, derived from `consent` for the opt-out filters. */
  @Column("text", { name: "opted_out_channels", array: true, default: () => "'{}'" })
  optedOutChannels: string[];

  /** A copy of the customer's tags in the Tags service, kept by writes here and by its events. */
  @Column("text", { name: "tag_ids", array: true, default: () => "'{}'" })
  tagIds: string[];

  @Column("jsonb", { name: "custom_properties", default: () => "'{}'" })
  customProperties: Record<string, unknown>;

  @Column("varchar", { name: "owner_id", length: 64, nullable: true })
  ownerId: string | null;

  @Column("varchar", { length: 50, default: "manual" })
  source: string;

  @Column({ type: "timestamptz", name: "first_contact_at", precision: 3, nullable: true })
  firstContactAt: Date | null;

  @Column({ type: "timestamptz", name: "last_contact_at", precision: 3, nullable: true })
  lastContactAt: Date | null;

  /** The words full-text search indexes (the database derives `search_vector` from it). */
  @Column("text", { name: "search_document", default: "" })
  searchDocument: string;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
