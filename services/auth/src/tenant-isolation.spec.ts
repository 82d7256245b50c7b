import { expectFailure } from "@velaflows/testing";
import { freshEmail, startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

test("a member of workspace A never sees or changes workspace B's identity data", async () => {
  const ownerB = await harness.register({ workspaceName: "B" });
  const memberB = await harness.join(ownerB, "agent");
  const { role: roleB } = await ownerB.roles.createRole({ name: "B role", permissions: ["tags:read"] });
  const { team: teamB } = await ownerB.teams.createTeam({ name: "B team", userIds: [memberB.userId] });
  const { invitation: invitationB } = await ownerB.invitations.createInvitation({ email: freshEmail(), roleId: roleB!.id });
  const auditBefore = (await ownerB.auditLogs.listAuditLogs({})).pagination!.total;

  // The owner of A, with every permission in A.
  const ownerA = await harness.register({ workspaceName: "A" });
  const agentRoleA = (await ownerA.roles.listRoles({})).items.find((r) => r.key === "agent")!;

  // 1. Acting in A, naming B's records: each is NOT_FOUND, exactly as a record that does not exist.
  const notFound = {
    getMember: [ownerA.members.getMember({ userId: memberB.userId }), "Member", memberB.userId],
    updateMember: [ownerA.members.updateMember({ userId: memberB.userId, roleId: agentRoleA.id }), "Member", memberB.userId],
    removeMember: [ownerA.members.removeMember({ userId: memberB.userId }), "Member", memberB.userId],
    revokeInvitation: [ownerA.invitations.revokeInvitation({ id: invitationB!.id }), "Invitation", invitationB!.id],
    resendInvitation: [ownerA.invitations.resendInvitation({ id: invitationB!.id }), "Invitation", invitationB!.id],
    getRole: [ownerA.roles.getRole({ id: roleB!.id }), "Role", roleB!.id],
    updateRole: [ownerA.roles.updateRole({ id: roleB!.id, role: { name: "Hijacked" }, updateMask: ["name"] }), "Role", roleB!.id],
    deleteRole: [ownerA.roles.deleteRole({ id: roleB!.id }), "Role", roleB!.id],
    inviteWithRoleB: [ownerA.invitations.createInvitation({ email: freshEmail(), roleId: roleB!.id }), "Role", roleB!.id],
    getTeam: [ownerA.teams.getTeam({ id: teamB!.id }), "Team", teamB!.id],
    updateTeam: [ownerA.teams.updateTeam({ id: teamB!.id, team: { name: "Hijacked" }, updateMask: ["name"] }), "Team", teamB!.id],
    deleteTeam: [ownerA.teams.deleteTeam({ id: teamB!.id }), "Team", teamB!.id],
    listTeamMembers: [ownerA.teams.listTeamMembers({ id: teamB!.id }), "Team", teamB!.id],
    addTeamMembers: [ownerA.teams.addTeamMembers({ id: teamB!.id, userIds: [ownerA.userId] }), "Team", teamB!.id],
    removeTeamMember: [ownerA.teams.removeTeamMember({ id: teamB!.id, userId: memberB.userId }), "Team", teamB!.id],
    getWorkspace: [ownerA.workspaces.getWorkspace({ id: ownerB.workspaceId }), "Workspace", ownerB.workspaceId],
    updateWorkspace: [ownerA.workspaces.updateWorkspace({ id: ownerB.workspaceId, workspace: { name: "Hijacked" }, updateMask: ["name"] }), "Workspace", ownerB.workspaceId],
    deleteWorkspace: [ownerA.workspaces.deleteWorkspace({ id: ownerB.workspaceId }), "Workspace", ownerB.workspaceId],
    transferOwnership: [ownerA.workspaces.transferOwnership({ id: ownerB.workspaceId, userId: ownerA.userId }), "Workspace", ownerB.workspaceId],
  } as const;
  for (const [route, [attempt, type, id]] of Object.entries(notFound)) {
    const failure = await expectFailure(attempt);
    expect({ route, code: failure.code, resource: failure.resource }).toEqual({ route, code: "NOT_FOUND", resource: { type, id } });
  }

  // 2. Lists in A show only A.
  expect((await ownerA.members.listMembers({})).items.map((m) => m.userId)).toEqual([ownerA.userId]);
  expect((await ownerA.invitations.listInvitations({})).items).toEqual([]);
  expect((await ownerA.roles.listRoles({})).items.map((r) => r.key)).toEqual(["owner", "admin", "agent"]);
  expect((await ownerA.teams.listTeams({})).items).toEqual([]);
  expect((await ownerA.auditLogs.listAuditLogs({})).items.every((e) => e.workspaceId === ownerA.workspaceId)).toBe(true);

  // 3. Claiming B's workspace id without being its member: PERMISSION_DENIED on every route.
  const inB = harness.actingAs(ownerA.userId, ownerB.workspaceId);
  const denied = {
    listMembers: inB.members.listMembers({}),
    removeMember: inB.members.removeMember({ userId: memberB.userId }),
    listInvitations: inB.invitations.listInvitations({}),
    createInvitation: inB.invitations.createInvitation({ email: freshEmail(), roleId: roleB!.id }),
    listRoles: inB.roles.listRoles({}),
    deleteRole: inB.roles.deleteRole({ id: roleB!.id }),
    listTeams: inB.teams.listTeams({}),
    listAuditLogs: inB.auditLogs.listAuditLogs({}),
    getWorkspace: inB.workspaces.getWorkspace({ id: ownerB.workspaceId }),
    leave: inB.members.leaveWorkspace({}),
    listPermissions: inB.roles.listPermissions({}),
  };
  for (const [route, attempt] of Object.entries(denied)) {
    const failure = await expectFailure(attempt);
    expect({ route, code: failure.code, message: failure.message }).toEqual({ route, code: "PERMISSION_DENIED", message: "The caller is not a member of this workspace" });
  }

  // 4. B is unchanged.
  expect((await ownerB.members.listMembers({})).items.map((m) => [m.userId, m.role]).sort()).toEqual(
    [
      [ownerB.userId, "owner"],
      [memberB.userId, "agent"],
    ].sort(),
  );
  expect((await ownerB.roles.getRole({ id: roleB!.id })).role).toMatchObject({ name: "B role" });
  expect((await ownerB.teams.getTeam({ id: teamB!.id })).team).toMatchObject({ name: "B team", memberCount: 1 });
  expect((await ownerB.invitations.listInvitations({ status: "pending" })).items.map((i) => i.id)).toEqual([invitationB!.id]);
  expect((await ownerB.workspaces.getWorkspace({ id: ownerB.workspaceId })).workspace).toMatchObject({ name: "B", ownerId: ownerB.userId });
  expect((await ownerB.auditLogs.listAuditLogs({})).pagination!.total).toBe(auditBefore);
});
