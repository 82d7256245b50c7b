import { expectFailure } from "@velaflows/testing";
import { freshEmail, startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("the audit log", () => {
  test("records who changed what, when, and from where, newest first", async () => {
    const owner = await harness.register();
    const from = { userId: owner.userId, workspaceId: owner.workspaceId, requestId: "req-audit-1", clientIp: "203.0.113.7", userAgent: "curl/8.5" };
    const admin = harness.as(from);
    const { role } = await admin.roles.createRole({ name: "Auditor", permissions: ["auth:read"] });
    const member = await harness.join(owner, "agent");
    await admin.members.updateMember({ userId: member.userId, roleId: role!.id });

    const { items, pagination } = await owner.auditLogs.listAuditLogs({});
    expect(items.map((e) => e.action)).toEqual([
      "member.role_changed",
      "invitation.accepted",
      "member.joined",
      "invitation.created",
      "role.created",
      "workspace.created",
    ]);
    expect(pagination).toMatchObject({ total: 6, page: 1 });
    expect(items[0]).toMatchObject({
      actorUserId: owner.userId,
      targetType: "member",
      targetId: member.userId,
      ip: "203.0.113.7",
      userAgent: "curl/8.5",
      requestId: "req-audit-1",
      details: { from: { role: "agent" }, to: { role: "custom", roleId: role!.id } },
    });
    expect(items[1]).toMatchObject({ actorUserId: member.userId, action: "invitation.accepted" });
    expect(items[0]!.createdAt).toBeInstanceOf(Date);
  });

  test("filters by action, action prefix, actor and target, and pages", async () => {
    const owner = await harness.register();
    for (const name of ["One", "Two", "Three"]) await owner.teams.createTeam({ name });
    await owner.invitations.createInvitation({ email: freshEmail(), roleId: (await owner.roles.listRoles({})).items.find((r) => r.key === "agent")!.id });

    expect((await owner.auditLogs.listAuditLogs({ action: "team.created" })).pagination!.total).toBe(3);
    expect((await owner.auditLogs.listAuditLogs({ action: "invitation." })).items.map((e) => e.action)).toEqual(["invitation.created"]);
    expect((await owner.auditLogs.listAuditLogs({ targetType: "workspace" })).items.map((e) => e.action)).toEqual(["workspace.created"]);
    expect((await owner.auditLogs.listAuditLogs({ actorUserId: owner.userId })).pagination!.total).toBe(5);
    const page = await owner.auditLogs.listAuditLogs({ limit: 2, page: 2, sortOrder: "asc" });
    expect(page.items.map((e) => e.action)).toEqual(["team.created", "team.created"]);
    expect(page.pagination).toMatchObject({ total: 5, totalPages: 3 });
  });

  test("never holds a secret", async () => {
    const owner = await harness.register();
    const member = await harness.join(owner, "agent");
    await member.auth.changePassword({ currentPassword: member.password, newPassword: "yet another passphrase" });
    const { rows } = await harness.db.query(`SELECT "details"::text AS d FROM "auth"."audit_logs" WHERE "actor_user_id" = ANY($1)`, [[owner.userId, member.userId]]);
    const text = rows.map((r) => r.d).join("\n");
    expect(text).not.toMatch(/passphrase|argon2|token|secret/i);
  });

  test("agents cannot read it", async () => {
    const owner = await harness.register();
    const agent = await harness.join(owner, "agent");
    expect(await expectFailure(agent.auditLogs.listAuditLogs({}))).toMatchObject({ code: "PERMISSION_DENIED", message: 'Missing permission "auth:manage"' });
  });
});
