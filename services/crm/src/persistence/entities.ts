import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "pipelines" })
export class PipelineEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  @Column("boolean", { name: "is_default", default: false })
  isDefault: boolean;

  @Column("boolean", { default: false })
  archived: boolean;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}

@Entity({ name: "stages" })
export class StageEntity extends WorkspaceEntity {
  @Column("varchar", { name: "pipeline_id", length: 24 })
  pipelineId: string;

  @Column("varchar", { length: 100 })
  name: string;

  @Column("varchar", { length: 7 })
  color: string;

  @Column("integer", { default: 0 })
  probability: number;

  @Column("integer")
  position: number;

  @Column("boolean", { name: "is_won", default: false })
  isWon: boolean;

  @Column("boolean", { name: "is_lost", default: false })
  isLost: boolean;
}

export type LeadStatus = "open" | "won" | "lost";

@Entity({ name: "leads" })
export class LeadEntity extends WorkspaceEntity {
  @Column("varchar", { name: "pipeline_id", length: 24 })
  pipelineId: string;

  @Column("varchar", { name: "stage_id", length: 24 })
  stageId: string;

  @Column("varchar", { length: 8, default: "open" })
  status: LeadStatus;

  @Column("varchar", { name: "first_name", length: 100, default: "" })
  firstName: string;

  @Column("varchar", { name: "last_name", length: 100, default: "" })
  lastName: string;

  @Column("varchar", { length: 254, default: "" })
  email: string;

  @Column("varchar", { length: 20, default: "" })
  phone: string;

  @Column("varchar", { length: 200, default: "" })
  company: string;

  @Column("varchar", { length: 50, default: "" })
  source: string;

  @Column("varchar", { name: "owner_id", length: 64, nullable: true })
  ownerId: string | null;

  /** Minor units; bigint comes back from the driver as a decimal string, kept as one end to end. */
  @Column("bigint", { default: "0" })
  value: string;

  @Column("varchar", { length: 3, default: "USD" })
  currency: string;

  /** "YYYY-MM-DD" (a date column read as text, so no time zone shifts it). */
  @Column("date", { name: "expected_close_date", nullable: true })
  expectedCloseDate: string | null;

  @Column("varchar", { name: "lost_reason", length: 500, default: "" })
  lostReason: string;

  @Column("integer", { default: 0 })
  score: number;

  @Column("varchar", { length: 2, default: "" })
  country: string;

  @Column("varchar", { name: "tag_ids", length: 24, array: true, default: () => "'{}'" })
  tagIds: string[];

  @Column("jsonb", { name: "custom_properties", default: () => "'{}'" })
  customProperties: Record<string, any>;

  @Column("varchar", { name: "customer_id", length: 24, nullable: true })
  customerId: string | null;

  @Column({ type: "timestamptz", name: "stage_entered_at", precision: 3 })
  stageEnteredAt: Date;

  @Column({ type: "timestamptz", name: "closed_at", precision: 3, nullable: true })
  closedAt: Date | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}

@Entity({ name: "stage_changes" })
export class StageChangeEntity extends WorkspaceEntity {
  @Column("varchar", { name: "lead_id", length: 24 })
  leadId: string;

  @Column("varchar", { name: "from_pipeline_id", length: 24, nullable: true })
  fromPipelineId: string | null;

  @Column("varchar", { name: "from_stage_id", length: 24, nullable: true })
  fromStageId: string | null;

  @Column("varchar", { name: "to_pipeline_id", length: 24 })
  toPipelineId: string;

  @Column("varchar", { name: "to_stage_id", length: 24 })
  toStageId: string;

  @Column("varchar", { name: "changed_by", length: 64, nullable: true })
  changedBy: string | null;

  @Column({ type: "timestamptz", name: "changed_at", precision: 3 })
  changedAt: Date;

  @Column("bigint", { name: "time_in_stage_ms", default: "0" })
  timeInStageMs: string;
}

export type TaskStatus = "open" | "completed";

@Entity({ name: "tasks" })
export class TaskEntity extends WorkspaceEntity {
  @Column("varchar", { length: 200 })
  title: string;

  @Column("varchar", { length: 5000, default: "" })
  description: string;

  @Column({ type: "timestamptz", name: "due_at", precision: 3, nullable: true })
  dueAt: Date | null;

  @Column("varchar", { name: "assignee_id", length: 64, nullable: true })
  assigneeId: string | null;

  @Column("varchar", { length: 8, default: "medium" })
  priority: string;

  @Column("varchar", { name: "lead_id", length: 24, nullable: true })
  leadId: string | null;

  @Column("varchar", { name: "customer_id", length: 24, nullable: true })
  customerId: string | null;

  @Column("varchar", { length: 10, default: "open" })
  status: TaskStatus;

  @Column({ type: "timestamptz", name: "completed_at", precision: 3, nullable: true })
  completedAt: Date | null;

  @Column("varchar", { name: "completed_by", length: 64, nullable: true })
  completedBy: string | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}

@Entity({ name: "activities" })
export class ActivityEntity extends WorkspaceEntity {
  @Column("varchar", { name: "lead_id", length: 24 })
  leadId: string;

  @Column("varchar", { length: 10 })
  type: string;

  @Column("varchar", { length: 200, default: "" })
  subject: string;

  @Column("varchar", { length: 10000, default: "" })
  body: string;

  @Column({ type: "timestamptz", name: "occurred_at", precision: 3 })
  occurredAt: Date;

  @Column("integer", { name: "duration_seconds", default: 0 })
  durationSeconds: number;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
