import { ConflictError, FailedPreconditionError, isUniqueViolation, newObjectId, sameJson, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { MacroEntity, StoredAction } from "../persistence/macro.entity";
import { toActionProto, toMacroProto } from "../persistence/macro.mapper";
import type { MacroFilter, Viewer } from "../persistence/macro.repository";
import type { MacrosStore, MacrosUnit } from "../persistence/macros-store";
import { channelRefusal } from "./channel-rules";
import { macroCreated, macroDeleted, macroExecuted, macroUpdated } from "./macro-events";
import { cleanMacro, shortCodeKey, type MacroInput } from "./macro-rules";
import { renderTemplate } from "./template";

export async function createMacro(store: MacrosStore, workspaceId: string, input: MacroInput, viewer: Viewer): Promise<MacroEntity> {
  const creatorId = viewer.userId;
  const macro = cleanMacro(input, creatorId);
  assertTeamOfViewer(viewer, macro.teamId, "teamId");
  return store.transaction(async (unit) => {
    const created = await withUniqueShortCode(macro.shortCode, () =>
      unit.macros.insert(workspaceId, { id: newObjectId(), ...macro, usageCount: 0, lastUsedAt: null, createdBy: creatorId ?? null }),
    );
    const saved = await mustFind(unit, workspaceId, viewer, created.id);
    await unit.publish([macroCreated(workspaceId, { macro: toMacroProto(saved) })]);
    return saved;
  });
}

export function getMacro(store: MacrosStore, workspaceId: string, viewer: Viewer, id: string): Promise<MacroEntity> {
  return mustFind(store.read, workspaceId, viewer, id);
}

export async function getMacroByShortCode(store: MacrosStore, workspaceId: string, viewer: Viewer, shortCode: string): Promise<MacroEntity> {
  const code = shortCodeKey(shortCode.replace(/^\//, ""));
  const macro = await store.read.macros.findVisible(workspaceId, viewer, { shortCode: code });
  if (!macro) throw new NotFoundError("Macro", code);
  return macro;
}

export function listMacros(store: MacrosStore, workspaceId: string, viewer: Viewer, filter: MacroFilter, params: ListParams) {
  return store.read.macros.list(workspaceId, viewer, filter, params);
}

/** The fields of a macro that can be updated, by their proto paths. */
export const UPDATABLE_MACRO_FIELDS = ["name", "short_code", "description", "body", "attachments", "visibility", "team_id", "actions"] as const;
export type UpdatableMacroField = (typeof UPDATABLE_MACRO_FIELDS)[number];

const FIELD_OF: Record<UpdatableMacroField, keyof MacroInput> = {
  name: "name",
  short_code: "shortCode",
  description: "description",
  body: "body",
  attachments: "attachments",
  visibility: "visibility",
  team_id: "teamId",
  actions: "actions",
};

/**
 * Applies the named fields and checks the macro as a whole. A personal macro stays with its
 * creator: making another member's macro personal would hide it from everyone but them.
 */
export async function updateMacro(
  store: MacrosStore,
  workspaceId: string,
  viewer: Viewer,
  id: string,
  fields: readonly UpdatableMacroField[],
  changes: MacroInput,
): Promise<MacroEntity> {
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, viewer, id);
    const merged: MacroInput = {
      name: current.name,
      shortCode: current.shortCode,
      description: current.description,
      body: current.body,
      attachments: current.attachments,
      visibility: current.visibility,
      teamId: current.teamId ?? "",
      actions: current.actions.map(toActionProto),
    };
    for (const field of fields) (merged as unknown as Record<string, unknown>)[FIELD_OF[field]] = changes[FIELD_OF[field]];
    // Leaving the team visibility drops the team unless the caller set one explicitly.
    if (fields.includes("visibility") && merged.visibility !== "team" && !fields.includes("team_id")) merged.teamId = "";
    if (merged.visibility === "personal" && current.visibility !== "personal" && current.createdBy !== viewer.userId) {
      throw new ValidationError([{ path: "macro.visibility", message: "only the macro's creator can make it personal" }]);
    }
    const next = cleanMacro(merged, current.createdBy ?? viewer.userId, (field) => `macro.${field}`);
    if (next.teamId !== current.teamId) assertTeamOfViewer(viewer, next.teamId, "macro.teamId");
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameJson(next[k], current[k]));
    if (changed.length === 0) return current;
    await withUniqueShortCode(next.shortCode, () =>
      unit.macros.update(workspaceId, id, Object.fromEntries(changed.map((k) => [k, next[k]])) as Partial<MacroEntity>),
    );
    const updated = await mustFind(unit, workspaceId, viewer, id);
    await unit.publish([macroUpdated(workspaceId, { macro: toMacroProto(updated), changedFields: changed.map(toProtoPath) })]);
    return updated;
  });
}

export async function deleteMacro(store: MacrosStore, workspaceId: string, viewer: Viewer, id: string): Promise<void> {
  await store.transaction(async (unit) => {
    const macro = await mustFind(unit, workspaceId, viewer, id);
    await unit.macros.delete(workspaceId, id);
    await unit.publish([macroDeleted(workspaceId, { macroId: id, shortCode: macro.shortCode })]);
  });
}

/**
 * A macro is shared with a team by one of its members (or by whoever manages macros): anyone
 * else could not see it afterwards, and could name a team that does not exist.
 */
function assertTeamOfViewer(viewer: Viewer, teamId: string | null, path: string): void {
  if (teamId && !viewer.allTeams && !viewer.teamIds.includes(teamId)) {
    throw new ValidationError([{ path, message: "is not a team you belong to" }]);
  }
}

/** The values variables are read from. */
export type RenderContext = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/** An action ready to apply: its text rendered. */
export type ResolvedAction = Omit<StoredAction, "body"> & { body?: string };

export interface RenderedMacro {
  text: string;
  actions: ResolvedAction[];
  missing: string[];
  unknown: string[];
  /** Why the plan cannot be executed as it is (see channel-rules). */
  warnings: string[];
}

/**
 * Renders a macro: its body, and its plan (its actions with their texts rendered; a quick reply's
 * plan is one send_reply of its body and attachments).
 */
export function renderMacro(macro: MacroEntity, context: RenderContext, now = new Date()): RenderedMacro {
  const missing = new Set<string>();
  const unknown = new Set<string>();
  const render = (text: string) => {
    const rendered = renderTemplate(text, context);
    rendered.missing.forEach((m) => missing.add(m));
    rendered.unknown.forEach((u) => unknown.add(u));
    return rendered.text;
  };
  const text = render(macro.body);
  const actions: ResolvedAction[] =
    macro.actions.length === 0
      ? [{ type: "send_reply", body: text, attachments: macro.attachments }]
      : macro.actions.map((action) => (action.body === undefined ? { ...action } : { ...action, body: render(action.body) }));
  const refusal = channelRefusal(context, actions, now);
  return { text, actions, missing: [...missing], unknown: [...unknown], warnings: refusal ? [refusal] : [] };
}

export async function renderVisibleMacro(store: MacrosStore, workspaceId: string, viewer: Viewer, id: string, context: RenderContext): Promise<RenderedMacro> {
  return renderMacro(await mustFind(store.read, workspaceId, viewer, id), context);
}

/** One conversation to execute a macro for, with the values its variables are read from. */
export interface ExecutionTarget {
  conversationId: string;
  context: RenderContext;
}

export interface Execution {
  executionId: string;
  conversationId: string;
  rendered: RenderedMacro;
}

/**
 * Renders the macro for each conversation, counts one use per conversation and publishes each plan
 * for the Inbox, in one transaction: the uses are counted exactly when the events exist.
 */
export async function executeMacro(
  store: MacrosStore,
  workspaceId: string,
  viewer: Viewer & { actorId?: string },
  id: string,
  targets: readonly ExecutionTarget[],
): Promise<{ executions: Execution[]; macro: MacroEntity }> {
  return store.transaction(async (unit) => {
    const macro = await mustFind(unit, workspaceId, viewer, id);
    const executions = targets.map(({ conversationId, context }) => {
      // The conversation being acted on fills {{conversation.id}} when the context has no id.
      const conversation = { ...(context.conversation ?? {}) };
      if (conversation.id === undefined && conversation._id === undefined) conversation.id = conversationId;
      return { executionId: newObjectId(), conversationId, rendered: renderMacro(macro, { ...context, conversation }) };
    });
    const refused = executions.filter((e) => e.rendered.warnings.length > 0);
    if (refused.length > 0) {
      throw new FailedPreconditionError(
        `Cannot execute "${macro.name}" for ${refused.map((e) => e.conversationId).join(", ")}: ${refused[0]!.rendered.warnings[0]}`,
        "WHATSAPP_WINDOW_CLOSED",
      );
    }
    await unit.macros.recordUses(workspaceId, id, executions.length);
    await unit.publish(
      executions.map(({ executionId, conversationId, rendered }) =>
        macroExecuted(workspaceId, { executionId, macroId: id, conversationId, executedBy: viewer.actorId ?? "", actions: rendered.actions.map(toActionProto) }),
      ),
    );
    return { executions, macro: await mustFind(unit, workspaceId, viewer, id) };
  });
}

async function mustFind(unit: Pick<MacrosUnit, "macros">, workspaceId: string, viewer: Viewer, id: string): Promise<MacroEntity> {
  const macro = await unit.macros.findVisible(workspaceId, viewer, { id });
  if (!macro) throw new NotFoundError("Macro", id);
  return macro;
}

async function withUniqueShortCode<T>(shortCode: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "macros_workspace_short_code")) throw new ConflictError(`A macro with the short code "${shortCode}" already exists`, "MACRO_SHORT_CODE_TAKEN");
    throw error;
  }
}

function toProtoPath(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
