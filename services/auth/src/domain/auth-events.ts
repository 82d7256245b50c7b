import { defineEvent } from "@velaflows/kit";
import {
  EmailVerificationRequestedEvent,
  InvitationDeliveryRequestedEvent,
  MemberInvitedEvent,
  MemberJoinedEvent,
  MemberRemovedEvent,
  MemberRoleChangedEvent,
  PasswordResetRequestedEvent,
  UserRegisteredEvent,
  WorkspaceCreatedEvent,
  WorkspaceDeletedEvent,
  WorkspaceOwnershipTransferredEvent,
  WorkspaceUpdatedEvent,
} from "@velaflows/proto/ts/velaflows/auth/v1/events";

// Event types come from the `event_type` option of each message in events.proto. The three that
// carry a token are published under PLATFORM_WORKSPACE_ID (see domain/audit.ts).
export const userRegistered = defineEvent("velaflows.auth.v1.UserRegisteredEvent", UserRegisteredEvent);
export const passwordResetRequested = defineEvent("velaflows.auth.v1.PasswordResetRequestedEvent", PasswordResetRequestedEvent);
export const emailVerificationRequested = defineEvent("velaflows.auth.v1.EmailVerificationRequestedEvent", EmailVerificationRequestedEvent);
export const invitationDeliveryRequested = defineEvent("velaflows.auth.v1.InvitationDeliveryRequestedEvent", InvitationDeliveryRequestedEvent);
export const workspaceCreated = defineEvent("velaflows.auth.v1.WorkspaceCreatedEvent", WorkspaceCreatedEvent);
export const workspaceUpdated = defineEvent("velaflows.auth.v1.WorkspaceUpdatedEvent", WorkspaceUpdatedEvent);
export const workspaceDeleted = defineEvent("velaflows.auth.v1.WorkspaceDeletedEvent", WorkspaceDeletedEvent);
export const workspaceOwnershipTransferred = defineEvent("velaflows.auth.v1.WorkspaceOwnershipTransferredEvent", WorkspaceOwnershipTransferredEvent);
export const memberInvited = defineEvent("velaflows.auth.v1.MemberInvitedEvent", MemberInvitedEvent);
export const memberJoined = defineEvent("velaflows.auth.v1.MemberJoinedEvent", MemberJoinedEvent);
export const memberRemoved = defineEvent("velaflows.auth.v1.MemberRemovedEvent", MemberRemovedEvent);
export const memberRoleChanged = defineEvent("velaflows.auth.v1.MemberRoleChangedEvent", MemberRoleChangedEvent);
