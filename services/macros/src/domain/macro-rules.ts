import { ValidationError, type FieldViolation } from "@velaflows/kit";
import type { StoredAction, StoredAttachment } from "../persistence/macro.entity";
import { templateProblems } from "./template";

/** The settable parts of a macro, as the caller gives them (proto3 defaults mean "not given"). */
export interface MacroInput {
  name: string;
  shortCode: string;
  description: string;
  body: string;
  attachments: readonly { url: string; name: string; contentType: string }[];
  visibility: string;
  teamId: string;
  actions: readonly ActionInput[];
}

export interface ActionInput {
  type: string;
  body: string;
  attachments: readonly { url: string; name: string; contentType: string }[];
  tagId: string;
  agentId: string;
  teamId: string;
  status: string;
  priority: string;
  snoozeMinutes: number;
}

/** A macro checked and in canonical form. */
export interface CleanMacro {
  name: string;
  shortCode: string;
  description: string;
  body: string;
  attachments: StoredAttachment[];
  visibility: string;
  teamId: string | null;
  actions: StoredAction[];
}

// The one field each action type needs (send_reply needs a body or attachments).
const ACTION_FIELD: Readonly<Record<string, keyof ActionInput | null>> = {
  send_reply: null,
  add_private_note: "body",
  add_tag: "tagId",
  remove_tag: "tagId",
  assign_agent: "agentId",
  assign_team: "teamId",
  set_status: "status",
  set_priority: "priority",
  snooze: "snoozeMinutes",
};
const ACTION_FIELDS: readonly (keyof ActionInput)[] = ["body", "attachments", "tagId", "agentId", "teamId", "status", "priority", "snoozeMinutes"];

/** Short codes are compared and stored lower-case: "/Thanks" and "/thanks" are one macro. */
export function shortCodeKey(shortCode: string): string {
  return shortCode.trim().toLowerCase();
}

/**
 * Checks a whole macro (on create, or the result of an update). `path` maps a field's JSON name
 * to the request path it came from ("body" or "macro.body"); `creatorId` is who will own a
 * personal macro.
 */
export function cleanMacro(input: MacroInput, creatorId: string | undefined, path: (field: string) => string = (f) => f): CleanMacro {
  const violations: FieldViolation[] = [];
  const name = input.name.normalize("NFC").trim();
  if (name === "") violations.push({ path: path("name"), message: "is required" });
  const shortCode = shortCodeKey(input.shortCode);
  if (shortCode === "") violations.push({ path: path("shortCode"), message: "is required" });

  const body = input.body.normalize("NFC");
  for (const problem of templateProblems(body)) violations.push({ path: path("body"), message: problem });

  const visibility = input.visibility || "workspace";
  if (visibility === "personal" && !creatorId) violations.push({ path: path("visibility"), message: "personal macros need a signed-in user (not an API token)" });
  if (visibility === "team" && !input.teamId) violations.push({ path: path("teamId"), message: "is required for a team macro" });
  if (visibility !== "team" && input.teamId) violations.push({ path: path("teamId"), message: "only team macros have a team" });

  const actions = input.actions.map((action, index) => cleanAction(action, (field) => path(`actions[${index}].${field}`), violations));
  if (body.trim() === "" && actions.length === 0) violations.push({ path: path("body"), message: "a macro needs a body or at least one action" });
  if (actions.length === 0 && input.attachments.length > 0 && body.trim() === "") {
    violations.push({ path: path("attachments"), message: "a quick reply's attachments go with its body" });
  }

  if (violations.length > 0) throw new ValidationError(violations);
  return {
    name,
    shortCode,
    description: input.description.trim(),
    body,
    attachments: input.attachments.map(cleanAttachment),
    visibility,
    teamId: visibility === "team" ? input.teamId : null,
    actions,
  };
}

function cleanAction(action: ActionInput, path: (field: string) => string, violations: FieldViolation[]): StoredAction {
  if (!(action.type in ACTION_FIELD)) {
    violations.push({ path: path("type"), message: `must be one of: ${Object.keys(ACTION_FIELD).join(", ")}` });
    return { type: action.type };
  }
  const needed = ACTION_FIELD[action.type];
  const given = (field: keyof ActionInput) => (field === "attachments" ? action.attachments.length > 0 : Boolean(action[field]));
  const allowed: (keyof ActionInput)[] = action.type === "send_reply" ? ["body", "attachments"] : needed ? [needed] : [];
  for (const field of ACTION_FIELDS) {
    if (given(field) && !allowed.includes(field)) violations.push({ path: path(field), message: `is not used by ${action.type}` });
  }
  if (action.type === "send_reply" && !given("body") && !given("attachments")) violations.push({ path: path("body"), message: "send_reply needs a body or attachments" });
  else if (needed && !given(needed)) violations.push({ path: path(needed), message: `is required for ${action.type}` });
  if (allowed.includes("body") && action.body) {
    for (const problem of templateProblems(action.body)) violations.push({ path: path("body"), message: problem });
  }

  const stored: StoredAction = { type: action.type };
  if (allowed.includes("body") && action.body) stored.body = action.body.normalize("NFC");
  if (allowed.includes("attachments") && action.attachments.length > 0) stored.attachments = action.attachments.map(cleanAttachment);
  if (needed === "tagId") stored.tagId = action.tagId;
  if (needed === "agentId") stored.agentId = action.agentId;
  if (needed === "teamId") stored.teamId = action.teamId;
  if (needed === "status") stored.status = action.status;
  if (needed === "priority") stored.priority = action.priority;
  if (needed === "snoozeMinutes") stored.snoozeMinutes = action.snoozeMinutes;
  return stored;
}

function cleanAttachment(a: { url: string; name: string; contentType: string }): StoredAttachment {
  return { url: a.url, name: a.name.trim() || fileNameOf(a.url), contentType: a.contentType };
}

/** The last path segment of a URL, decoded, for attachments given without a name. */
function fileNameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") || "attachment";
  } catch {
    return "attachment";
  }
}
