import { expectFailure } from "@velaflows/testing";
import { startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("teams", () => {
  test("create with members, list, rename, add, remove, delete", async () => {
    const owner = await harness.register();
    const a = await harness.join(owner, "agent");
    const b = await harness.join(owner, "agent");
    const { team } = await owner.teams.createTeam({ name: " Support ", description: "first line", userIds: [a.userId] });
    expect(team).toMatchObject({ name: "Support", description: "first line", memberCount: 1, workspaceId: owner.workspaceId });

    const added = await owner.teams.addTeamMembers({ id: team!.id, userIds: [a.userId, b.userId] });
    expect(added).toMatchObject({ addedCount: 1, team: { memberCount: 2 } });
    const { items: members } = await a.teams.listTeamMembers({ id: team!.id });
    expect(members.map((m) => [m.userId, m.email, m.addedBy])).toEqual([
      [a.userId, a.email, owner.userId],
      [b.userId, b.email, owner.userId],
    ]);

    const { team: renamed } = await owner.teams.updateTeam({ id: team!.id, team: { name: "Escalations" }, updateMask: ["name"] });
    expect(renamed).toMatchObject({ name: "Escalations", description: "first line" });
    expect((await a.teams.listTeams({ search: "escal" })).items.map((t) => t.id)).toEqual([team!.id]);

    expect(await owner.teams.removeTeamMember({ id: team!.id, userId: b.userId })).toEqual({ removed: true });
    expect(await owner.teams.removeTeamMember({ id: team!.id, userId: b.userId })).toEqual({ removed: false });

    await owner.teams.deleteTeam({ id: team!.id });
    expect(await expectFailure(owner.teams.getTeam({ id: team!.id }))).toMatchObject({ code: "NOT_FOUND", resource: { type: "Team", id: team!.id } });
  });

  test("only workspace members can join a team; leaving the workspace leaves its teams", async () => {
    const owner = await harness.register();
    const member = await harness.join(owner, "agent");
    const outsider = await harness.register();
    const failure = await expectFailure(owner.teams.createTeam({ name: "Mixed", userIds: [member.userId, outsider.userId] }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "userIds[1]", message: "is not a member of this workspace" }] });

    const { team } = await owner.teams.createTeam({ name: "Core", userIds: [owner.userId, member.userId] });
    await member.members.leaveWorkspace({});
    expect((await owner.teams.getTeam({ id: team!.id })).team!.memberCount).toBe(1);
  });

  test("ResolveMembership answers the teams a member is in (what the gateway passes on as x-team-ids)", async () => {
    const owner = await harness.register();
    const member = await harness.join(owner, "agent");
    const { team: support } = await owner.teams.createTeam({ name: "Support", userIds: [member.userId] });
    const { team: sales } = await owner.teams.createTeam({ name: "Sales", userIds: [owner.userId, member.userId] });
    await owner.teams.createTeam({ name: "Empty" });
    const internal = harness.as({ workspaceId: owner.workspaceId }).internal;
    const teamsOf = async (userId: string) => (await internal.resolveMembership({ userId, workspaceId: owner.workspaceId })).teamIds;
    expect(await teamsOf(member.userId)).toEqual([support!.id, sales!.id].sort());
    expect(await teamsOf(owner.userId)).toEqual([sales!.id]);
    await owner.teams.removeTeamMember({ id: support!.id, userId: member.userId });
    expect(await teamsOf(member.userId)).toEqual([sales!.id]);
    // A user in a team of another workspace is no member here: no teams.
    const elsewhere = await harness.register();
    await elsewhere.teams.createTeam({ name: "Theirs", userIds: [elsewhere.userId] });
    expect(await teamsOf(elsewhere.userId)).toEqual([]);
  });

  test("names are unique per workspace; agents read but do not manage", async () => {
    const owner = await harness.register();
    const agent = await harness.join(owner, "agent");
    await owner.teams.createTeam({ name: "Sales" });
    expect(await expectFailure(owner.teams.createTeam({ name: "SALES" }))).toMatchObject({ code: "ALREADY_EXISTS", reason: "TEAM_NAME_TAKEN" });
    expect((await agent.teams.listTeams({})).pagination!.total).toBe(1);
    expect(await expectFailure(agent.teams.createTeam({ name: "Mine" }))).toMatchObject({ code: "PERMISSION_DENIED" });
  });
});
