import type { Macro, MacroAction, MacroAttachment } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import type { MacroEntity, StoredAction, StoredAttachment } from "./macro.entity";

export function toAttachmentProto(a: StoredAttachment): MacroAttachment {
  return { url: a.url, name: a.name, contentType: a.contentType };
}

export function toActionProto(a: StoredAction): MacroAction {
  return {
    type: a.type,
    body: a.body ?? "",
    attachments: (a.attachments ?? []).map(toAttachmentProto),
    tagId: a.tagId ?? "",
    agentId: a.agentId ?? "",
    teamId: a.teamId ?? "",
    status: a.status ?? "",
    priority: a.priority ?? "",
    snoozeMinutes: a.snoozeMinutes ?? 0,
  };
}

export function toMacroProto(entity: MacroEntity): Macro {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    shortCode: entity.shortCode,
    description: entity.description,
    body: entity.body,
    attachments: entity.attachments.map(toAttachmentProto),
    visibility: entity.visibility,
    teamId: entity.teamId ?? "",
    actions: entity.actions.map(toActionProto),
    usageCount: entity.usageCount,
    lastUsedAt: entity.lastUsedAt ?? undefined,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
