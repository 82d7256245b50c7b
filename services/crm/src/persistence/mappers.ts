import type { Activity, Lead, Pipeline, Stage, StageChange, Task } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import type { ActivityEntity, LeadEntity, StageChangeEntity, StageEntity, TaskEntity } from "./entities";
import type { PipelineWithStages } from "./pipeline.repository";

export function toStageProto(entity: StageEntity): Stage {
  return {
    id: entity.id,
    pipelineId: entity.pipelineId,
    name: entity.name,
    color: entity.color,
    probability: entity.probability,
    position: entity.position,
    isWon: entity.isWon,
    isLost: entity.isLost,
  };
}

export function toPipelineProto({ pipeline, stages }: PipelineWithStages): Pipeline {
  return {
    id: pipeline.id,
    workspaceId: pipeline.workspaceId,
    name: pipeline.name,
    isDefault: pipeline.isDefault,
    archived: pipeline.archived,
    stages: stages.map(toStageProto),
    createdBy: pipeline.createdBy ?? "",
    createdAt: pipeline.createdAt,
    updatedAt: pipeline.updatedAt,
  };
}

export function toLeadProto(entity: LeadEntity): Lead {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    firstName: entity.firstName,
    lastName: entity.lastName,
    email: entity.email,
    phone: entity.phone,
    company: entity.company,
    source: entity.source,
    ownerId: entity.ownerId ?? "",
    value: String(entity.value),
    currency: entity.currency,
    expectedCloseDate: entity.expectedCloseDate ?? "",
    status: entity.status,
    lostReason: entity.lostReason,
    score: entity.score,
    country: entity.country,
    tagIds: entity.tagIds,
    customProperties: { ...entity.customProperties },
    customerId: entity.customerId ?? "",
    pipelineId: entity.pipelineId,
    stageId: entity.stageId,
    stageEnteredAt: entity.stageEnteredAt,
    closedAt: entity.closedAt ?? undefined,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toStageChangeProto(entity: StageChangeEntity): StageChange {
  return {
    id: entity.id,
    leadId: entity.leadId,
    fromPipelineId: entity.fromPipelineId ?? "",
    fromStageId: entity.fromStageId ?? "",
    toPipelineId: entity.toPipelineId,
    toStageId: entity.toStageId,
    changedBy: entity.changedBy ?? "",
    changedAt: entity.changedAt,
    timeInStageMs: String(entity.timeInStageMs),
  };
}

export function toTaskProto(entity: TaskEntity): Task {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    title: entity.title,
    description: entity.description,
    dueAt: entity.dueAt ?? undefined,
    assigneeId: entity.assigneeId ?? "",
    priority: entity.priority,
    leadId: entity.leadId ?? "",
    customerId: entity.customerId ?? "",
    status: entity.status,
    completedAt: entity.completedAt ?? undefined,
    completedBy: entity.completedBy ?? "",
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toActivityProto(entity: ActivityEntity): Activity {
  return {
    id: entity.id,
    leadId: entity.leadId,
    type: entity.type,
    subject: entity.subject,
    body: entity.body,
    occurredAt: entity.occurredAt,
    durationSeconds: entity.durationSeconds,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
  };
}
