import { bindService, type ServiceBinding } from "@velaflows/kit";
import { AuditLogsServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/audit_logs";
import { AuthInternalServiceService, AuthServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import { InvitationsServiceService, MembersServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/members";
import { RolesServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/roles";
import { TeamsServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/teams";
import { WorkspacesServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/workspaces";
import type { AuthDeps } from "./domain/deps";
import { acceptInvitationHandler } from "./rpc/accept-invitation";
import { addTeamMembersHandler } from "./rpc/add-team-members";
import { changePasswordHandler } from "./rpc/change-password";
import { createInvitationHandler } from "./rpc/create-invitation";
import { createRoleHandler } from "./rpc/create-role";
import { createTeamHandler } from "./rpc/create-team";
import { createWorkspaceHandler } from "./rpc/create-workspace";
import { deleteRoleHandler } from "./rpc/delete-role";
import { deleteTeamHandler } from "./rpc/delete-team";
import { deleteWorkspaceHandler } from "./rpc/delete-workspace";
import { forgotPasswordHandler } from "./rpc/forgot-password";
import { getJwksHandler } from "./rpc/get-jwks";
import { getMeHandler } from "./rpc/get-me";
import { getMemberHandler } from "./rpc/get-member";
import { getRoleHandler } from "./rpc/get-role";
import { getTeamHandler } from "./rpc/get-team";
import { getWellKnownJwksHandler } from "./rpc/get-well-known-jwks";
import { getWorkspaceHandler } from "./rpc/get-workspace";
import { leaveWorkspaceHandler } from "./rpc/leave-workspace";
import { listAuditLogsHandler } from "./rpc/list-audit-logs";
import { listInvitationsHandler } from "./rpc/list-invitations";
import { listMembersHandler } from "./rpc/list-members";
import { listMyWorkspacesHandler } from "./rpc/list-my-workspaces";
import { listPermissionsHandler } from "./rpc/list-permissions";
import { listRolesHandler } from "./rpc/list-roles";
import { listSessionsHandler } from "./rpc/list-sessions";
import { listTeamMembersHandler } from "./rpc/list-team-members";
import { listTeamsHandler } from "./rpc/list-teams";
import { loginHandler } from "./rpc/login";
import { logoutHandler } from "./rpc/logout";
import { refreshTokenHandler } from "./rpc/refresh-token";
import { registerHandler } from "./rpc/register";
import { removeMemberHandler } from "./rpc/remove-member";
import { removeTeamMemberHandler } from "./rpc/remove-team-member";
import { resendEmailVerificationHandler } from "./rpc/resend-email-verification";
import { resendInvitationHandler } from "./rpc/resend-invitation";
import { resetPasswordHandler } from "./rpc/reset-password";
import { resolveMembershipHandler } from "./rpc/resolve-membership";
import { revokeInvitationHandler } from "./rpc/revoke-invitation";
import { revokeSessionHandler } from "./rpc/revoke-session";
import { transferOwnershipHandler } from "./rpc/transfer-ownership";
import { updateMeHandler } from "./rpc/update-me";
import { updateMemberHandler } from "./rpc/update-member";
import { updateRoleHandler } from "./rpc/update-role";
import { updateTeamHandler } from "./rpc/update-team";
import { updateWorkspaceHandler } from "./rpc/update-workspace";
import { verifyEmailHandler } from "./rpc/verify-email";

/** Every gRPC service of the Auth deployable: one handler per RPC, each given the domain's dependencies. */
export function createAuthServices(deps: AuthDeps): ServiceBinding[] {
  return [
    bindService(AuthServiceService, {
      register: registerHandler(deps),
      login: loginHandler(deps),
      refreshToken: refreshTokenHandler(deps),
      logout: logoutHandler(deps),
      getMe: getMeHandler(deps),
      updateMe: updateMeHandler(deps),
      changePassword: changePasswordHandler(deps),
      forgotPassword: forgotPasswordHandler(deps),
      resetPassword: resetPasswordHandler(deps),
      verifyEmail: verifyEmailHandler(deps),
      resendEmailVerification: resendEmailVerificationHandler(deps),
      listSessions: listSessionsHandler(deps),
      revokeSession: revokeSessionHandler(deps),
      getWellKnownJwks: getWellKnownJwksHandler(deps),
    }),
    bindService(AuthInternalServiceService, {
      resolveMembership: resolveMembershipHandler(deps),
      getJwks: getJwksHandler(deps),
    }),
    bindService(WorkspacesServiceService, {
      listMyWorkspaces: listMyWorkspacesHandler(deps),
      createWorkspace: createWorkspaceHandler(deps),
      getWorkspace: getWorkspaceHandler(deps),
      updateWorkspace: updateWorkspaceHandler(deps),
      deleteWorkspace: deleteWorkspaceHandler(deps),
      transferOwnership: transferOwnershipHandler(deps),
    }),
    bindService(MembersServiceService, {
      listMembers: listMembersHandler(deps),
      getMember: getMemberHandler(deps),
      updateMember: updateMemberHandler(deps),
      removeMember: removeMemberHandler(deps),
      leaveWorkspace: leaveWorkspaceHandler(deps),
    }),
    bindService(InvitationsServiceService, {
      createInvitation: createInvitationHandler(deps),
      listInvitations: listInvitationsHandler(deps),
      revokeInvitation: revokeInvitationHandler(deps),
      resendInvitation: resendInvitationHandler(deps),
      acceptInvitation: acceptInvitationHandler(deps),
    }),
    bindService(RolesServiceService, {
      listPermissions: listPermissionsHandler(deps),
      listRoles: listRolesHandler(deps),
      createRole: createRoleHandler(deps),
      getRole: getRoleHandler(deps),
      updateRole: updateRoleHandler(deps),
      deleteRole: deleteRoleHandler(deps),
    }),
    bindService(TeamsServiceService, {
      listTeams: listTeamsHandler(deps),
      createTeam: createTeamHandler(deps),
      getTeam: getTeamHandler(deps),
      updateTeam: updateTeamHandler(deps),
      deleteTeam: deleteTeamHandler(deps),
      listTeamMembers: listTeamMembersHandler(deps),
      addTeamMembers: addTeamMembersHandler(deps),
      removeTeamMember: removeTeamMemberHandler(deps),
    }),
    bindService(AuditLogsServiceService, {
      listAuditLogs: listAuditLogsHandler(deps),
    }),
  ];
}
