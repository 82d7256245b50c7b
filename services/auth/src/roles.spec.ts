import { expectFailure } from "@velaflows/testing";
import { startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("the permission catalog", () => {
  test("lists every permission the protos' access options declare, with their methods", async () => {
    const owner = await harness.register();
    const { items } = await owner.roles.listPermissions({});
    const names = items.map((p) => p.permission);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["auth:manage", "auth:read", "tags:read", "tags:write"]));
    // public, authenticated and internal are not permissions; the test-only service is not deployed.
    expect(names.every((p) => /^[a-z][a-z0-9_-]*:(read|write|manage)$/.test(p))).toBe(true);
    expect(names.some((p) => p.startsWith("testing:"))).toBe(false);
    expect(items.find((p) => p.permission === "tags:write")).toMatchObject({
      service: "tags",
      level: "write",
      methods: expect.arrayContaining(["velaflows.tags.v1.TagsService.CreateTag", "velaflows.tags.v1.TagsService.MergeTags"]),
    });
    expect(items.find((p) => p.permission === "auth:manage")!.methods).toContain("velaflows.auth.v1.MembersService.RemoveMember");
  });
});

describe("roles", () => {
  test("every workspace has the system roles owner, admin and agent", async () => {
    const owner = await harness.register();
    const { items } = await owner.roles.listRoles({});
    expect(items.map((r) => [r.key, r.name, r.system, r.memberCount])).toEqual([
      ["owner", "Owner", true, 1],
      ["admin", "Admin", true, 0],
      ["agent", "Agent", true, 0],
    ]);
    const byKey = Object.fromEntries(items.map((r) => [r.key, r.permissions]));
    expect(byKey.owner).toEqual(["*"]);
    expect(byKey.admin).toEqual(expect.arrayContaining(["auth:manage", "tags:manage"]));
    expect(byKey.agent).toEqual(expect.arrayContaining(["auth:read", "tags:write"]));
    expect(byKey.agent!.some((p) => p.startsWith("api-tokens:"))).toBe(false);
    const admin = items.find((r) => r.key === "admin")!;
    expect(await expectFailure(owner.roles.updateRole({ id: admin.id, role: { name: "Boss" }, updateMask: ["name"] }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "SYSTEM_ROLE",
    });
    expect(await expectFailure(owner.roles.deleteRole({ id: admin.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "SYSTEM_ROLE" });
  });

  test("a custom role from catalog permissions: created, assigned, resolved, updated", async () => {
    const owner = await harness.register();
    const { role } = await owner.roles.createRole({ name: "Tagger", description: "tags only", permissions: ["tags:write", "tags:read", "tags:write"] });
    expect(role).toMatchObject({ key: "custom", system: false, name: "Tagger", permissions: ["tags:read", "tags:write"], memberCount: 0 });

    const member = await harness.join(owner, role!.id);
    const answer = await harness.as({ workspaceId: owner.workspaceId }).internal.resolveMembership({ userId: member.userId, workspaceId: owner.workspaceId });
    expect(answer).toEqual({ member: true, role: "custom", roleId: role!.id, roleName: "Tagger", permissions: ["tags:read", "tags:write"], teamIds: [] });
    // Without auth:read, the member cannot even list the workspace's members.
    expect(await expectFailure(member.members.listMembers({}))).toMatchObject({ code: "PERMISSION_DENIED", message: 'Missing permission "auth:read"' });

    const { role: updated } = await owner.roles.updateRole({ id: role!.id, role: { permissions: ["tags:read", "auth:read"] }, updateMask: ["permissions"] });
    expect(updated).toMatchObject({ name: "Tagger", permissions: ["auth:read", "tags:read"], memberCount: 1 });
    expect((await member.members.listMembers({})).items).toHaveLength(2);
  });

  test("refuses permissions outside the catalog, with each one's path", async () => {
    const owner = await harness.register();
    const failure = await expectFailure(owner.roles.createRole({ name: "Bad", permissions: ["tags:read", "*", "tags:delete", "nothing:read"] }));
    expect(failure).toMatchObject({
      code: "INVALID_ARGUMENT",
      violations: [
        { path: "permissions[1]", message: '"*" is not in the permission catalog' },
        { path: "permissions[2]", message: '"tags:delete" is not in the permission catalog' },
        { path: "permissions[3]", message: '"nothing:read" is not in the permission catalog' },
      ],
    });
  });

  test("names are unique per workspace, ignoring case, system names included", async () => {
    const owner = await harness.register();
    await owner.roles.createRole({ name: "Support", permissions: ["tags:read"] });
    expect(await expectFailure(owner.roles.createRole({ name: " support ", permissions: ["tags:read"] }))).toMatchObject({
      code: "ALREADY_EXISTS",
      reason: "ROLE_NAME_TAKEN",
    });
    expect(await expectFailure(owner.roles.createRole({ name: "ADMIN", permissions: ["tags:read"] }))).toMatchObject({ code: "ALREADY_EXISTS" });
  });

  test("a role in use by a member or a pending invitation cannot be deleted", async () => {
    const owner = await harness.register();
    const { role } = await owner.roles.createRole({ name: "Temp", permissions: ["tags:read"] });
    const member = await harness.join(owner, role!.id);
    expect(await expectFailure(owner.roles.deleteRole({ id: role!.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "ROLE_IN_USE" });

    await owner.members.updateMember({ userId: member.userId, roleId: (await owner.roles.listRoles({})).items.find((r) => r.key === "agent")!.id });
    const { invitation } = await owner.invitations.createInvitation({ email: "pending-temp@example.com", roleId: role!.id });
    expect(await expectFailure(owner.roles.deleteRole({ id: role!.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "ROLE_IN_USE" });

    await owner.invitations.revokeInvitation({ id: invitation!.id });
    await owner.roles.deleteRole({ id: role!.id });
    expect(await expectFailure(owner.roles.getRole({ id: role!.id }))).toMatchObject({ code: "NOT_FOUND", resource: { type: "Role", id: role!.id } });
  });

  test("nobody hands out more than they hold", async () => {
    const owner = await harness.register();
    // A member manager without tags permissions.
    const { role: managerRole } = await owner.roles.createRole({ name: "People manager", permissions: ["auth:manage"] });
    const manager = await harness.join(owner, managerRole!.id);
    const agentRoleId = (await owner.roles.listRoles({})).items.find((r) => r.key === "agent")!.id;
    const adminRoleId = (await owner.roles.listRoles({})).items.find((r) => r.key === "admin")!.id;

    expect(await expectFailure(manager.roles.createRole({ name: "Escalated", permissions: ["tags:write"] }))).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(await expectFailure(manager.roles.updateRole({ id: managerRole!.id, role: { permissions: ["auth:manage", "tags:write"] }, updateMask: ["permissions"] }))).toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(await expectFailure(manager.members.updateMember({ userId: manager.userId, roleId: adminRoleId }))).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(await expectFailure(manager.invitations.createInvitation({ email: "x@example.com", roleId: agentRoleId }))).toMatchObject({ code: "PERMISSION_DENIED" });

    // And an admin cannot be demoted by someone holding less.
    const admin = await harness.join(owner, "admin");
    expect(await expectFailure(manager.members.removeMember({ userId: admin.userId }))).toMatchObject({ code: "PERMISSION_DENIED" });
    // The gateway's x-permissions (an API token's scopes) narrow what a role may do.
    const narrowed = harness.as({ userId: owner.userId, workspaceId: owner.workspaceId, permissions: ["auth:read"] });
    expect(await expectFailure(narrowed.roles.createRole({ name: "Nope", permissions: ["tags:read"] }))).toMatchObject({
      code: "PERMISSION_DENIED",
      message: 'Missing permission "auth:manage"',
    });
  });
});
