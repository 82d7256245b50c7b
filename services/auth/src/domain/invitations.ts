import {
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  isUniqueViolation,
  newObjectId,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type ListParams,
  type Pagination,
} from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { InvitationEntity } from "../persistence/invitation.entity";
import type { InvitationStatus } from "../persistence/invitations.repository";
import { invitationStatus, toInvitationProto, toMemberProto } from "../persistence/member.mapper";
import type { RoleEntity } from "../persistence/role.entity";
import type { UserEntity } from "../persistence/user.entity";
import type { WorkspaceRecordEntity } from "../persistence/workspace-record.entity";
import { cleanPersonName, createAccountIn } from "./accounts";
import { assertMayHandOut, lockActor, resolveActor, type Actor, type Caller } from "./actor";
import { audit, PLATFORM_WORKSPACE_ID } from "./audit";
import { invitationDeliveryRequested, memberInvited, memberJoined, userRegistered } from "./auth-events";
import type { AuthDeps } from "./deps";
import { normaliseEmail } from "./emails";
import { memberView, type MemberView } from "./member-views";
import type { CallOrigin } from "./origin";
import { issueSecretToken, parseSecretToken, secretMatches } from "./secret-tokens";
import { openSession, tokensFor, type TokenPair } from "./sessions";

/** An invitation with the name of its role, as the API shows it. */
export interface InvitationView {
  invitation: InvitationEntity;
  roleName: string;
}

const DAY_MS = 24 * 3600_000;

/** Invites `email` with a role; the token goes to the mail service only (an event). */
export async function createInvitation(deps: AuthDeps, caller: Caller, email: string, roleId: string): Promise<InvitationView> {
  const address = normaliseEmail(email);
  try {
    return await deps.store.transaction(async (unit) => {
      const actor = await lockActor(unit, caller);
      const role = await mustFindRole(unit, caller.workspaceId, roleId);
      assertMayHandOut(actor, role, "invite with");
      const existingUser = await unit.users.findByEmail(address);
      if (existingUser && (await unit.members.findByUser(caller.workspaceId, existingUser.id))) {
        throw new ConflictError(`${address} is already a member of this workspace`, "ALREADY_MEMBER");
      }
      const open = await unit.invitations.findOpenByEmail(caller.workspaceId, address);
      if (open && invitationStatus(open) === "pending") {
        throw new ConflictError(`An invitation to ${address} is pending: resend it instead`, "INVITATION_PENDING", { type: "Invitation", id: open.id });
      }
      const now = new Date();
      if (open) await unit.invitations.update(caller.workspaceId, open.id, { revokedAt: now }); // expired: replaced
      const issued = issueSecretToken();
      await unit.invitations.insert(caller.workspaceId, {
        id: issued.id,
        email: address,
        roleId: role.id,
        secretHash: issued.secretHash,
        invitedBy: actor.userId,
        expiresAt: new Date(now.getTime() + deps.settings.invitationTtlDays * DAY_MS),
        lastSentAt: now,
        sendCount: 1,
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      const invitation = (await unit.invitations.findById(caller.workspaceId, issued.id))!;
      await unit.publish([memberInvited(caller.workspaceId, { invitation: toInvitationProto(invitation, role.name) }), await delivery(unit, actor, invitation, role, issued.token)]);
      await audit(unit, caller.workspaceId, actor.origin, {
        action: "invitation.created",
        targetType: "invitation",
        targetId: invitation.id,
        details: { email: address, roleId: role.id },
      });
      return { invitation, roleName: role.name };
    });
  } catch (error) {
    if (isUniqueViolation(error, "invitations_workspace_open_email")) {
      throw new ConflictError(`An invitation to ${address} is pending: resend it instead`, "INVITATION_PENDING");
    }
    throw error;
  }
}

export async function listInvitations(deps: AuthDeps, caller: Caller, status: InvitationStatus | undefined, params: ListParams): Promise<{ items: InvitationView[]; pagination: Pagination }> {
  await resolveActor(deps.store.read, caller);
  const page = await deps.store.read.invitations.list(caller.workspaceId, { status, now: new Date() }, params);
  const roles = new Map((await deps.store.read.roles.findByIds(caller.workspaceId, page.items.map((i) => i.roleId))).map((r) => [r.id, r]));
  return { items: page.items.map((invitation) => ({ invitation, roleName: roles.get(invitation.roleId)?.name ?? "" })), pagination: page.pagination };
}

/** Revokes an invitation that was not accepted; its token stops working. */
export async function revokeInvitation(deps: AuthDeps, caller: Caller, id: string): Promise<InvitationView> {
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const invitation = await mustFindInvitation(unit, caller.workspaceId, id);
    const status = invitationStatus(invitation);
    if (status === "accepted" || status === "revoked") throw new FailedPreconditionError(`The invitation was already ${status}`, `INVITATION_${status.toUpperCase()}`);
    await unit.invitations.update(caller.workspaceId, id, { revokedAt: new Date() });
    await audit(unit, caller.workspaceId, actor.origin, { action: "invitation.revoked", targetType: "invitation", targetId: id, details: { email: invitation.email } });
    return view(unit, (await unit.invitations.findById(caller.workspaceId, id))!);
  });
}

/** Sends an open invitation again: a new token (the old one stops working) and a new expiry. */
export async function resendInvitation(deps: AuthDeps, caller: Caller, id: string): Promise<InvitationView> {
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const invitation = await mustFindInvitation(unit, caller.workspaceId, id);
    const status = invitationStatus(invitation);
    if (status === "accepted" || status === "revoked") throw new FailedPreconditionError(`The invitation was already ${status}`, `INVITATION_${status.toUpperCase()}`);
    const role = await mustFindRole(unit, caller.workspaceId, invitation.roleId);
    assertMayHandOut(actor, role, "invite with");
    const issued = issueSecretToken(invitation.id);
    const now = new Date();
    await unit.invitations.update(caller.workspaceId, id, {
      secretHash: issued.secretHash,
      expiresAt: new Date(now.getTime() + deps.settings.invitationTtlDays * DAY_MS),
      lastSentAt: now,
      sendCount: invitation.sendCount + 1,
    });
    const resent = (await unit.invitations.findById(caller.workspaceId, id))!;
    await unit.publish([await delivery(unit, actor, resent, role, issued.token)]);
    await audit(unit, caller.workspaceId, actor.origin, { action: "invitation.resent", targetType: "invitation", targetId: id, details: { email: resent.email } });
    return { invitation: resent, roleName: role.name };
  });
}

/** What accepting an invitation produced. */
export interface AcceptedInvitation {
  workspace: WorkspaceRecordEntity;
  member: MemberView;
  user: UserEntity;
  accountCreated: boolean;
  tokens?: TokenPair;
}

/**
 * Redeems an invitation token. The invited address's account joins with the invitation's role;
 * without an account, `name` and `password` create one (verified: the token reached the mailbox)
 * and a session is opened. A caller signed in as another account is refused.
 */
export async function acceptInvitation(
  deps: AuthDeps,
  token: string,
  newAccount: { name: string; password: string },
  origin: CallOrigin,
): Promise<AcceptedInvitation> {
  const found = await redeemable(deps.store.read, token);
  const existing = await deps.store.read.users.findByEmail(found.email);
  if (origin.userId && origin.userId !== existing?.id) throw new ForbiddenError("This invitation was sent to another e-mail address");
  let passwordHash: string | undefined;
  let name = "";
  if (!existing) {
    const missing = [
      ...(newAccount.name.trim() === "" ? [{ path: "name", message: "is required to create an account" }] : []),
      ...(newAccount.password === "" ? [{ path: "password", message: "is required to create an account" }] : []),
    ];
    if (missing.length > 0) throw new ValidationError(missing);
    name = cleanPersonName(newAccount.name);
    passwordHash = await deps.passwords.hash(newAccount.password);
  }
  const result = await deps.store.transaction(async (unit) => {
    const workspace = await unit.workspaces.lock(found.workspaceId);
    if (!workspace) throw new FailedPreconditionError("The workspace of this invitation no longer exists", "WORKSPACE_DELETED");
    const invitation = await redeemable(unit, token);
    const joining = { ...origin, userId: existing?.id };
    let user = existing ? await unit.users.findById(existing.id) : null;
    const accountCreated = !user;
    if (!user) {
      user = await createAccountIn(unit, { email: invitation.email, name, passwordHash: passwordHash!, emailVerified: true }, origin);
      joining.userId = user.id;
      await unit.publish([userRegistered(workspace.id, { userId: user.id, email: user.email, name: user.name, source: "invitation" })]);
    }
    if (!(await unit.invitations.markAccepted(workspace.id, invitation.id, user.id, new Date()))) {
      throw new FailedPreconditionError("The invitation was already accepted or revoked", "INVITATION_CLOSED");
    }
    let member = await unit.members.findByUser(workspace.id, user.id);
    if (!member) {
      member = await unit.members.insert(workspace.id, { id: newObjectId(), userId: user.id, roleId: invitation.roleId, invitedBy: invitation.invitedBy });
      member = (await unit.members.findByUser(workspace.id, user.id))!;
      const view = await memberView(unit, member);
      await unit.publish([memberJoined(workspace.id, { member: toMemberProto(view) })]);
      await audit(unit, workspace.id, joining, { action: "member.joined", targetType: "member", targetId: user.id, details: { invitationId: invitation.id, roleId: invitation.roleId } });
    }
    await audit(unit, workspace.id, joining, { action: "invitation.accepted", targetType: "invitation", targetId: invitation.id, details: { email: invitation.email } });
    const opened = accountCreated ? await openSession(unit, deps.settings, user.id, origin) : undefined;
    return { workspace, member: await memberView(unit, member), user, accountCreated, opened };
  });
  const { opened, ...accepted } = result;
  return { ...accepted, tokens: opened ? await tokensFor(deps, opened) : undefined };
}

// Finds the invitation of a presented token and checks it can be accepted.
async function redeemable(source: Pick<AuthUnit, "invitations">, token: string): Promise<InvitationEntity> {
  const parsed = parseSecretToken(token);
  const invitation = parsed ? await source.invitations.findForRedemption(parsed.id) : null;
  if (!parsed || !invitation || !secretMatches(parsed.secret, invitation.secretHash)) throw new UnauthenticatedError("Invalid invitation token");
  const status = invitationStatus(invitation);
  if (status !== "pending") throw new FailedPreconditionError(`This invitation has ${status === "expired" ? "expired" : `been ${status}`}`, `INVITATION_${status.toUpperCase()}`);
  return invitation;
}

async function delivery(unit: AuthUnit, actor: Actor, invitation: InvitationEntity, role: RoleEntity, token: string) {
  const inviter = await unit.users.findById(actor.userId);
  return invitationDeliveryRequested(PLATFORM_WORKSPACE_ID, {
    invitationId: invitation.id,
    workspaceId: invitation.workspaceId,
    workspaceName: actor.workspace.name,
    email: invitation.email,
    roleName: role.name,
    invitedByName: inviter?.name ?? "",
    token,
    expiresAt: invitation.expiresAt,
  });
}

async function view(unit: AuthUnit, invitation: InvitationEntity): Promise<InvitationView> {
  const role = await unit.roles.findById(invitation.workspaceId, invitation.roleId);
  return { invitation, roleName: role?.name ?? "" };
}

async function mustFindInvitation(unit: AuthUnit, workspaceId: string, id: string): Promise<InvitationEntity> {
  const invitation = await unit.invitations.findById(workspaceId, id);
  if (!invitation) throw new NotFoundError("Invitation", id);
  return invitation;
}

async function mustFindRole(unit: AuthUnit, workspaceId: string, roleId: string): Promise<RoleEntity> {
  const role = await unit.roles.findById(workspaceId, roleId);
  if (!role) throw new NotFoundError("Role", roleId);
  return role;
}
