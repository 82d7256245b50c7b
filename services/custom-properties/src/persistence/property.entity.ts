import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** One choice of a select property, as stored (in the `options` JSONB column). */
export interface StoredOption {
  value: string;
  label: string;
  color: string;
  order: number;
}

@Entity({ name: "properties" })
export class PropertyEntity extends WorkspaceEntity {
  @Column("varchar", { name: "entity_type", length: 32 })
  entityType: string;

  @Column("varchar", { length: 64 })
  key: string;

  /** The key folded for uniqueness (lower case, no underscores): "first_name" and "firstName" collide. */
  @Column("varchar", { name: "key_fold", length: 64 })
  keyFold: string;

  @Column("varchar", { length: 100 })
  label: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  @Column("varchar", { length: 20 })
  type: string;

  @Column("jsonb", { default: () => "'[]'" })
  options: StoredOption[];

  @Column("boolean", { default: false })
  required: boolean;

  @Column("varchar", { name: "validation_regex", length: 500, default: "" })
  validationRegex: string;

  @Column("varchar", { name: "validation_hint", length: 200, default: "" })
  validationHint: string;

  /** The normalised default value; null when there is none. */
  @Column("jsonb", { name: "default_value", nullable: true })
  defaultValue: unknown;

  @Column("integer", { default: 0 })
  position: number;

  @Column("varchar", { name: "group_id", length: 24, nullable: true })
  groupId: string | null;

  @Column("boolean", { default: true })
  active: boolean;

  @Column("varchar", { name: "relation_entity_type", length: 32, default: "" })
  relationEntityType: string;

  @Column("varchar", { name: "currency_code", length: 3, default: "" })
  currencyCode: string;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;

  @Column({ type: "timestamptz", name: "deactivated_at", precision: 3, nullable: true })
  deactivatedAt: Date | null;
}
