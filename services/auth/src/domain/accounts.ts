import { ConflictError, isUniqueViolation, newObjectId, NotFoundError, UnauthenticatedError, ValidationError } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { UserEntity } from "../persistence/user.entity";
import type { UserWorkspaceRow } from "../persistence/workspaces.repository";
import type { WorkspaceRecordEntity } from "../persistence/workspace-record.entity";
import { audit, PLATFORM_WORKSPACE_ID } from "./audit";
import { userRegistered } from "./auth-events";
import type { AuthDeps } from "./deps";
import { normaliseEmail } from "./emails";
import { requestEmailVerification } from "./email-verification";
import { admitLoginAttempt, clearLoginFailures, forgetEndedLoginWindows } from "./login-throttle";
import type { CallOrigin } from "./origin";
import { openSession, tokensFor, type TokenPair } from "./sessions";
import { cleanWorkspaceName, createWorkspaceIn } from "./workspaces";

export interface Registration {
  email: string;
  password: string;
  name: string;
  /** "<name>'s workspace" when empty. */
  workspaceName: string;
}

/** Trims and NFC-normalises a person's name; refuses one that is blank once trimmed. */
export function cleanPersonName(name: string, path = "name"): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

const EMAIL_TAKEN = "An account with this e-mail address already exists";

/** Creates an account with the given (already hashed) password, in the caller's transaction. */
export async function createAccountIn(
  unit: AuthUnit,
  input: { email: string; name: string; passwordHash: string; emailVerified: boolean },
  origin: CallOrigin,
): Promise<UserEntity> {
  if (await unit.users.findByEmail(input.email)) throw new ConflictError(EMAIL_TAKEN, "EMAIL_TAKEN");
  const now = new Date();
  const id = newObjectId(now);
  try {
    await unit.users.insert({
      id,
      email: input.email,
      name: input.name,
      passwordHash: input.passwordHash,
      passwordChangedAt: now,
      emailVerifiedAt: input.emailVerified ? now : null,
      avatarUrl: "",
      locale: "",
      timezone: "",
      lastLoginAt: null,
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new ConflictError(EMAIL_TAKEN, "EMAIL_TAKEN");
    throw error;
  }
  await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: id }, { action: "user.registered", targetType: "user", targetId: id });
  return (await unit.users.findById(id))!;
}

/** An account, its first workspace and a session; a verification token goes to the mail service. */
export async function register(deps: AuthDeps, input: Registration, origin: CallOrigin): Promise<{ user: UserEntity; workspace: WorkspaceRecordEntity; tokens: TokenPair }> {
  const email = normaliseEmail(input.email);
  const name = cleanPersonName(input.name);
  const workspaceName = input.workspaceName.trim() === "" ? `${name}'s workspace`.slice(0, 100) : cleanWorkspaceName(input.workspaceName, "workspaceName");
  // Refused before the (deliberately slow) hashing when the address is taken.
  if (await deps.store.read.users.findByEmail(email)) throw new ConflictError(EMAIL_TAKEN, "EMAIL_TAKEN");
  const passwordHash = await deps.passwords.hash(input.password);
  const { user, workspace, opened } = await deps.store.transaction(async (unit) => {
    const user = await createAccountIn(unit, { email, name, passwordHash, emailVerified: false }, origin);
    const { workspace } = await createWorkspaceIn(unit, user, workspaceName, origin);
    await unit.publish([userRegistered(workspace.id, { userId: user.id, email: user.email, name: user.name, source: "register" })]);
    await requestEmailVerification(unit, deps.settings, user);
    const opened = await openSession(unit, deps.settings, user.id, origin);
    return { user, workspace, opened };
  });
  return { user, workspace, tokens: await tokensFor(deps, opened) };
}

const INVALID_CREDENTIALS = "Invalid email or password";

/**
 * Opens a session. Unknown address and wrong password are refused alike, in the same time; too
 * many failures for one address in a window are refused before the password is checked (see
 * {@link admitLoginAttempt}).
 */
export async function login(
  deps: AuthDeps,
  email: string,
  password: string,
  origin: CallOrigin,
): Promise<{ user: UserEntity; tokens: TokenPair; workspaces: UserWorkspaceRow[] }> {
  const address = normaliseEmail(email);
  await admitLoginAttempt(deps.store, deps.settings, address);
  const user = await deps.store.read.users.findByEmail(address);
  const matches = await deps.passwords.verify(password, user?.passwordHash);
  if (!user || !matches) {
    await forgetEndedLoginWindows(deps.store, deps.settings);
    throw new UnauthenticatedError(INVALID_CREDENTIALS);
  }
  const opened = await deps.store.transaction(async (unit) => {
    await clearLoginFailures(unit, address);
    const opened = await openSession(unit, deps.settings, user.id, origin);
    await unit.users.update(user.id, { lastLoginAt: new Date() });
    await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: user.id }, { action: "session.created", targetType: "session", targetId: opened.sessionId });
    return opened;
  });
  const [tokens, workspaces, fresh] = await Promise.all([
    tokensFor(deps, opened),
    deps.store.read.workspaces.listForUser(user.id),
    deps.store.read.users.findById(user.id),
  ]);
  return { user: fresh ?? user, tokens, workspaces };
}

export async function getUser(deps: AuthDeps, userId: string): Promise<UserEntity> {
  const user = await deps.store.read.users.findById(userId);
  if (!user) throw new NotFoundError("User", userId);
  return user;
}

/** The profile fields a user can change, by their proto paths. */
export const UPDATABLE_PROFILE_FIELDS = ["name", "avatar_url", "locale", "timezone"] as const;
export type UpdatableProfileField = (typeof UPDATABLE_PROFILE_FIELDS)[number];

export interface ProfileChanges {
  name: string;
  avatarUrl: string;
  locale: string;
  timezone: string;
}

/** Applies the named profile fields; an update that changes nothing writes nothing. */
export async function updateProfile(deps: AuthDeps, userId: string, fields: readonly UpdatableProfileField[], changes: ProfileChanges, origin: CallOrigin): Promise<UserEntity> {
  const patch: Partial<ProfileChanges> = {};
  if (fields.includes("name")) patch.name = cleanPersonName(changes.name, "user.name");
  if (fields.includes("avatar_url")) patch.avatarUrl = changes.avatarUrl.trim();
  if (fields.includes("locale")) patch.locale = changes.locale;
  if (fields.includes("timezone")) patch.timezone = checkTimeZone(changes.timezone);
  return deps.store.transaction(async (unit) => {
    const user = await unit.users.findById(userId);
    if (!user) throw new NotFoundError("User", userId);
    const changed = (Object.keys(patch) as (keyof ProfileChanges)[]).filter((key) => patch[key] !== user[key]);
    if (changed.length === 0) return user;
    await unit.users.update(userId, Object.fromEntries(changed.map((key) => [key, patch[key]])));
    await audit(unit, PLATFORM_WORKSPACE_ID, origin, { action: "user.updated", targetType: "user", targetId: userId, details: { changedFields: changed } });
    return (await unit.users.findById(userId))!;
  });
}

function checkTimeZone(timezone: string): string {
  if (timezone === "") return "";
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return timezone;
  } catch {
    throw new ValidationError([{ path: "user.timezone", message: "must be an IANA time zone such as Europe/Berlin" }]);
  }
}

/**
 * Changes the password after checking the current one. Every session of the account ends (a
 * stolen refresh token dies with the old password); the answer is a new session's tokens.
 */
export async function changePassword(deps: AuthDeps, userId: string, currentPassword: string, newPassword: string, origin: CallOrigin): Promise<TokenPair> {
  const user = await getUser(deps, userId);
  if (!(await deps.passwords.verify(currentPassword, user.passwordHash))) {
    throw new ValidationError([{ path: "currentPassword", message: "is incorrect" }]);
  }
  if (currentPassword === newPassword) throw new ValidationError([{ path: "newPassword", message: "must differ from the current password" }]);
  const passwordHash = await deps.passwords.hash(newPassword);
  const opened = await deps.store.transaction(async (unit) => {
    const now = new Date();
    await unit.users.update(userId, { passwordHash, passwordChangedAt: now });
    const ended = await unit.sessions.revokeAllOfUser(userId, "password_changed", now);
    await unit.oneTimeTokens.invalidateOpen(userId, "password_reset", now);
    await audit(unit, PLATFORM_WORKSPACE_ID, origin, { action: "user.password_changed", targetType: "user", targetId: userId, details: { sessionsEnded: ended } });
    return openSession(unit, deps.settings, userId, origin, now);
  });
  return tokensFor(deps, opened);
}
