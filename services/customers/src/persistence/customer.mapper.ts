import type { ChannelConsent, ConsentFlags, Customer, CustomerMerge, ImportJob, ExportJob, Note, Segment, TimelineEntry } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { Customer as CustomerMessage, CustomerFilter, JobStatus } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { CONSENT_CHANNELS, type CustomerEntity } from "./customer.entity";
import type { ExportJobEntity, ImportJobEntity, JobState } from "./jobs.entity";
import type { MergeEntity } from "./merge.entity";
import type { NoteEntity } from "./note.entity";
import type { SegmentEntity } from "./segment.entity";
import type { TimelineEntryEntity } from "./timeline-entry.entity";

export function toCustomerProto(entity: CustomerEntity): Customer {
  const consent: ConsentFlags = {};
  for (const channel of CONSENT_CHANNELS) {
    const flags = entity.consent[channel];
    if (flags) consent[channel] = { optedIn: flags.optedIn, optedOut: flags.optedOut } satisfies ChannelConsent;
  }
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    firstName: entity.firstName,
    lastName: entity.lastName,
    displayName: displayNameOf(entity),
    emails: entity.emails.map((e) => ({ ...e })),
    phones: entity.phones.map((p) => ({ ...p })),
    identities: {
      whatsapp: entity.identities.whatsapp ?? "",
      telegram: entity.identities.telegram ?? "",
      instagram: entity.identities.instagram ?? "",
      messenger: entity.identities.messenger ?? "",
      email: entity.identities.email ?? "",
    },
    company: entity.company,
    language: entity.language,
    country: entity.country,
    avatarUrl: entity.avatarUrl,
    consent,
    tagIds: [...entity.tagIds],
    customProperties: { ...entity.customProperties },
    ownerId: entity.ownerId ?? "",
    source: entity.source,
    firstContactAt: entity.firstContactAt ?? undefined,
    lastContactAt: entity.lastContactAt ?? undefined,
    primaryEmail: entity.primaryEmail ?? "",
    primaryPhone: entity.primaryPhone ?? "",
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** First and last name, else the primary e-mail, else the primary phone. */
export function displayNameOf(entity: Pick<CustomerEntity, "firstName" | "lastName" | "primaryEmail" | "primaryPhone">): string {
  const name = [entity.firstName, entity.lastName].filter(Boolean).join(" ");
  return name || entity.primaryEmail || entity.primaryPhone || "";
}

export function toNoteProto(entity: NoteEntity): Note {
  return {
    id: entity.id,
    customerId: entity.customerId,
    body: entity.body,
    pinned: entity.pinned,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toTimelineProto(entity: TimelineEntryEntity): TimelineEntry {
  return {
    id: entity.id,
    customerId: entity.customerId,
    type: entity.type,
    summary: entity.summary,
    data: entity.data,
    actorId: entity.actorId ?? "",
    occurredAt: entity.occurredAt,
  };
}

export function toMergeProto(entity: MergeEntity): CustomerMerge {
  return {
    id: entity.id,
    targetId: entity.targetId,
    sourceIds: entity.sourceIds,
    sources: entity.sources.map((json) => CustomerMessage.fromJSON(json)),
    movedNotes: entity.movedNotes,
    mergedBy: entity.mergedBy ?? "",
    createdAt: entity.createdAt,
  };
}

/** Stored filters are proto3 JSON; this reads them back. */
export function filterFromJson(json: Record<string, unknown>): CustomerFilter {
  return CustomerFilter.fromJSON(json);
}

export function filterToJson(filter: CustomerFilter | undefined): Record<string, unknown> {
  return CustomerFilter.toJSON(CustomerFilter.fromPartial(filter ?? {})) as Record<string, unknown>;
}

export function toSegmentProto(entity: SegmentEntity, customerCount: number): Segment {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    filter: filterFromJson(entity.filter),
    customerCount,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

const JOB_STATUS: Record<JobState, JobStatus> = {
  queued: JobStatus.JOB_STATUS_QUEUED,
  running: JobStatus.JOB_STATUS_RUNNING,
  completed: JobStatus.JOB_STATUS_COMPLETED,
  failed: JobStatus.JOB_STATUS_FAILED,
};

export function toImportJobProto(entity: ImportJobEntity): ImportJob {
  return {
    id: entity.id,
    status: JOB_STATUS[entity.status],
    matchBy: entity.matchBy,
    dryRun: entity.dryRun,
    mapping: entity.mapping,
    processedRows: entity.processedRows,
    createdCount: entity.createdCount,
    updatedCount: entity.updatedCount,
    errorCount: entity.errorCount,
    error: entity.error,
    fileName: entity.fileName,
    sizeBytes: String(entity.sizeBytes),
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    startedAt: entity.startedAt ?? undefined,
    finishedAt: entity.finishedAt ?? undefined,
  };
}

export function toExportJobProto(entity: ExportJobEntity): ExportJob {
  return {
    id: entity.id,
    status: JOB_STATUS[entity.status],
    segmentId: entity.segmentId ?? "",
    filter: filterFromJson(entity.filter),
    exportedRows: entity.exportedRows,
    totalRows: entity.totalRows,
    error: entity.error,
    sizeBytes: String(entity.sizeBytes),
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    finishedAt: entity.finishedAt ?? undefined,
  };
}
