import { expectFailure } from "@velaflows/testing";
import { startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("workspaces", () => {
  test("create, list mine, get and rename", async () => {
    const account = await harness.register({ workspaceName: "First" });
    const { workspace } = await account.workspaces.createWorkspace({ name: "  Second  " });
    expect(workspace).toMatchObject({ name: "Second", ownerId: account.userId });

    const { items } = await account.workspaces.listMyWorkspaces({});
    expect(items.map((w) => [w.name, w.role])).toEqual([
      ["First", "owner"],
      ["Second", "owner"],
    ]);

    const inSecond = harness.actingAs(account.userId, workspace!.id);
    expect((await inSecond.workspaces.getWorkspace({ id: workspace!.id })).workspace).toEqual(workspace);
    const { workspace: renamed } = await inSecond.workspaces.updateWorkspace({ id: workspace!.id, workspace: { name: "Renamed" }, updateMask: ["name"] });
    expect(renamed!.name).toBe("Renamed");
    const [event] = await harness.outbox(workspace!.id, "auth.workspace.updated");
    expect(event!.data).toMatchObject({ changedFields: ["name"], workspace: { _id: workspace!.id, name: "Renamed" } });
  });

  test("a route naming another workspace than x-workspace-id answers NOT_FOUND", async () => {
    const account = await harness.register();
    const { workspace: other } = await account.workspaces.createWorkspace({ name: "Other" });
    // Owner of both, but acting in the first: the second is out of this call's reach.
    const failure = await expectFailure(account.workspaces.updateWorkspace({ id: other!.id, workspace: { name: "x" }, updateMask: ["name"] }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Workspace", id: other!.id } });
  });

  test("deleting (owner only) removes every membership answer", async () => {
    const owner = await harness.register();
    const admin = await harness.join(owner, "admin");
    expect(await expectFailure(admin.workspaces.deleteWorkspace({ id: owner.workspaceId }))).toMatchObject({
      code: "PERMISSION_DENIED",
      message: "Only the owner can delete the workspace",
    });
    await owner.workspaces.deleteWorkspace({ id: owner.workspaceId });
    const answer = await harness.as({ workspaceId: owner.workspaceId }).internal.resolveMembership({ userId: owner.userId, workspaceId: owner.workspaceId });
    expect(answer).toEqual({ member: false, role: "", roleId: "", roleName: "", permissions: [], teamIds: [] });
    expect(await expectFailure(owner.members.listMembers({}))).toMatchObject({ code: "PERMISSION_DENIED" });
    expect((await owner.workspaces.listMyWorkspaces({})).items).toEqual([]);
  });
});

describe("ownership", () => {
  test("transfer makes the member the owner and the previous owner an admin", async () => {
    const owner = await harness.register();
    const agent = await harness.join(owner, "agent");
    expect(await expectFailure(agent.workspaces.transferOwnership({ id: owner.workspaceId, userId: agent.userId }))).toMatchObject({
      code: "PERMISSION_DENIED",
    });
    const { workspace } = await owner.workspaces.transferOwnership({ id: owner.workspaceId, userId: agent.userId });
    expect(workspace!.ownerId).toBe(agent.userId);
    const roles = Object.fromEntries((await agent.members.listMembers({})).items.map((m) => [m.userId, m.role]));
    expect(roles).toEqual({ [owner.userId]: "admin", [agent.userId]: "owner" });
    const events = await harness.outbox(owner.workspaceId, "auth.workspace.ownership_transferred");
    expect(events.map((e) => e.data)).toEqual([{ workspaceId: owner.workspaceId, previousOwnerId: owner.userId, newOwnerId: agent.userId }]);
  });

  test("the owner cannot leave, be demoted or be removed; the workspace keeps one owner", async () => {
    const owner = await harness.register();
    const admin = await harness.join(owner, "admin");
    const { items: roles } = await owner.roles.listRoles({});
    const agentRole = roles.find((r) => r.key === "agent")!;
    const ownerRole = roles.find((r) => r.key === "owner")!;

    expect(await expectFailure(owner.members.leaveWorkspace({}))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "OWNER_CANNOT_LEAVE" });
    expect(await expectFailure(owner.members.updateMember({ userId: owner.userId, roleId: agentRole.id }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "OWNER_ROLE_LOCKED",
    });
    expect(await expectFailure(admin.members.updateMember({ userId: owner.userId, roleId: agentRole.id }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "OWNER_ROLE_LOCKED",
    });
    expect(await expectFailure(admin.members.removeMember({ userId: owner.userId }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "OWNER_CANNOT_BE_REMOVED",
    });
    // Nobody becomes a second owner by a role change.
    expect(await expectFailure(owner.members.updateMember({ userId: admin.userId, roleId: ownerRole.id }))).toMatchObject({ code: "PERMISSION_DENIED" });

    const owners = (await owner.members.listMembers({})).items.filter((m) => m.role === "owner");
    expect(owners.map((m) => m.userId)).toEqual([owner.userId]);
  });

  test("a member leaves; the owner can leave after transferring ownership", async () => {
    const owner = await harness.register();
    const admin = await harness.join(owner, "admin");
    await owner.workspaces.transferOwnership({ id: owner.workspaceId, userId: admin.userId });
    await owner.members.leaveWorkspace({});
    expect((await admin.members.listMembers({})).items.map((m) => m.userId)).toEqual([admin.userId]);
    const [removed] = await harness.outbox(owner.workspaceId, "auth.member.removed");
    expect(removed!.data).toEqual({ userId: owner.userId, reason: "left" });
  });
});

describe("ResolveMembership", () => {
  test("answers role and permissions; the owner holds *", async () => {
    const owner = await harness.register();
    const agent = await harness.join(owner, "agent");
    const internal = harness.as({ workspaceId: owner.workspaceId }).internal;

    expect(await internal.resolveMembership({ userId: owner.userId, workspaceId: owner.workspaceId })).toMatchObject({
      member: true,
      role: "owner",
      roleName: "Owner",
      permissions: ["*"],
    });
    const asAgent = await internal.resolveMembership({ userId: agent.userId, workspaceId: owner.workspaceId });
    expect(asAgent).toMatchObject({ member: true, role: "agent", roleName: "Agent" });
    expect(asAgent.permissions).toEqual(expect.arrayContaining(["auth:read", "tags:write"]));
    expect(asAgent.permissions).not.toContain("auth:manage");

    const stranger = await harness.register();
    expect(await internal.resolveMembership({ userId: stranger.userId, workspaceId: owner.workspaceId })).toEqual({
      member: false,
      role: "",
      roleId: "",
      roleName: "",
      permissions: [],
      teamIds: [],
    });
  });

  test("a removal or role change shows in the next answer", async () => {
    const owner = await harness.register();
    const member = await harness.join(owner, "agent");
    const internal = harness.as({ workspaceId: owner.workspaceId }).internal;
    const adminRole = (await owner.roles.listRoles({})).items.find((r) => r.key === "admin")!;
    await owner.members.updateMember({ userId: member.userId, roleId: adminRole.id });
    expect((await internal.resolveMembership({ userId: member.userId, workspaceId: owner.workspaceId })).role).toBe("admin");
    await owner.members.removeMember({ userId: member.userId });
    expect((await internal.resolveMembership({ userId: member.userId, workspaceId: owner.workspaceId })).member).toBe(false);
  });

  test("the workspace asked about must be the call's x-workspace-id", async () => {
    const owner = await harness.register();
    const other = await harness.register();
    const failure = await expectFailure(
      harness.as({ workspaceId: other.workspaceId }).internal.resolveMembership({ userId: owner.userId, workspaceId: owner.workspaceId }),
    );
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", reason: "WORKSPACE_MISMATCH" });
    expect(await expectFailure(harness.anonymous.internal.resolveMembership({ userId: owner.userId, workspaceId: owner.workspaceId }))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });
});
