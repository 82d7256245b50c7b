import { newObjectId } from "@velaflows/kit";
import { expectFailure } from "@velaflows/testing";
import { startMacrosHarness, type MacrosHarness } from "./test-harness";

let harness: MacrosHarness;
beforeAll(async () => {
  harness = await startMacrosHarness();
});
afterAll(() => harness.stop());

const AGENT = "6b0a000000000000000000a1";
const OTHER_AGENT = "6b0a000000000000000000a2";
const TAG = "6b0a000000000000000000f1";
const TEAM = "6b0a000000000000000000e1";
const OTHER_TEAM = "6b0a000000000000000000e2";
const IN_TEAM = { teamIds: [TEAM] };

describe("CreateMacro", () => {
  test("creates a quick reply with cleaned values and defaults", async () => {
    const client = harness.workspace(undefined, AGENT);
    const { macro } = await client.createMacro({
      name: " Greeting ",
      shortCode: "Hello",
      body: "Hi {{customer.firstName | default: \"there\"}}, I'm {{agent.name}}.",
      attachments: [{ url: "https://cdn.example.com/files/price%20list.pdf", contentType: "application/pdf" }],
    });
    expect(macro).toMatchObject({
      workspaceId: client.workspaceId,
      name: "Greeting",
      shortCode: "hello",
      visibility: "workspace",
      teamId: "",
      actions: [],
      usageCount: 0,
      createdBy: AGENT,
      attachments: [{ url: "https://cdn.example.com/files/price%20list.pdf", name: "price list.pdf", contentType: "application/pdf" }],
    });
    expect(macro!.lastUsedAt).toBeUndefined();
  });

  test("creates a multi-action macro, keeping only the fields each action uses", async () => {
    const client = harness.workspace(undefined, AGENT);
    const { macro } = await client.createMacro({
      name: "Close as resolved",
      shortCode: "close",
      actions: [
        { type: "send_reply", body: "Thanks {{customer.firstName}}!" },
        { type: "add_private_note", body: "Closed by {{agent.name}}" },
        { type: "add_tag", tagId: TAG },
        { type: "remove_tag", tagId: TAG },
        { type: "assign_agent", agentId: OTHER_AGENT },
        { type: "assign_team", teamId: TEAM },
        { type: "set_priority", priority: "low" },
        { type: "snooze", snoozeMinutes: 60 },
        { type: "set_status", status: "resolved" },
      ],
    });
    expect(macro!.actions.map((a) => a.type)).toEqual([
      "send_reply",
      "add_private_note",
      "add_tag",
      "remove_tag",
      "assign_agent",
      "assign_team",
      "set_priority",
      "snooze",
      "set_status",
    ]);
    expect(macro!.actions[7]).toEqual({ type: "snooze", body: "", attachments: [], tagId: "", agentId: "", teamId: "", status: "", priority: "", snoozeMinutes: 60 });
  });

  test("refuses a short code taken in the workspace, ignoring case", async () => {
    const client = harness.workspace(undefined, AGENT);
    await client.createMacro({ name: "a", shortCode: "thanks", body: "Thanks!" });
    expect(await expectFailure(client.createMacro({ name: "b", shortCode: "THANKS", body: "Thank you!" }))).toMatchObject({
      code: "ALREADY_EXISTS",
      reason: "MACRO_SHORT_CODE_TAKEN",
    });
    await harness.workspace(undefined, AGENT).createMacro({ name: "a", shortCode: "thanks", body: "Thanks!" });
  });

  test.each([
    ["no body and no actions", {}, [{ path: "body", message: "a macro needs a body or at least one action" }]],
    ["a short code with spaces", { shortCode: "hi there", body: "x" }, [{ path: "shortCode", message: expect.stringContaining("must match") }]],
    [
      "an unknown variable",
      { body: "Hi {{customer.nickname}}" },
      [{ path: "body", message: "uses the unknown variable {{customer.nickname}} (see GET /api/v1/macros/variables)" }],
    ],
    ["a malformed variable", { body: "Hi {{customer.firstName" }, [{ path: "body", message: expect.stringContaining('has a malformed variable at "{{customer.firstName"') }]],
    ["a team macro without a team", { body: "x", visibility: "team" }, [{ path: "teamId", message: "is required for a team macro" }]],
    ["a team on a workspace macro", { body: "x", teamId: TEAM }, [{ path: "teamId", message: "only team macros have a team" }]],
    ["an action without its field", { actions: [{ type: "add_tag" }] }, [{ path: "actions[0].tagId", message: "is required for add_tag" }]],
    [
      "an action with a field it does not use",
      { actions: [{ type: "set_status", status: "open", tagId: TAG }] },
      [{ path: "actions[0].tagId", message: "is not used by set_status" }],
    ],
    ["an unknown action type", { actions: [{ type: "launch_rocket" }] }, [{ path: "actions[0].type", message: expect.stringContaining("must be one of: send_reply") }]],
    ["a bad status", { actions: [{ type: "set_status", status: "closed" }] }, [{ path: "actions[0].status", message: "must be one of: open, pending, resolved" }]],
    ["a bad tag id", { actions: [{ type: "add_tag", tagId: "vip" }] }, [{ path: "actions[0].tagId", message: "must be a 24-character hex id" }]],
    ["an empty reply", { actions: [{ type: "send_reply" }] }, [{ path: "actions[0].body", message: "send_reply needs a body or attachments" }]],
    ["an unknown variable in an action", { actions: [{ type: "add_private_note", body: "{{agent.salary}}" }] }, [{ path: "actions[0].body", message: expect.stringContaining("{{agent.salary}}") }]],
    ["an attachment that is not a URL", { body: "x", attachments: [{ url: "file.pdf" }] }, [{ path: "attachments[0].url", message: expect.stringContaining("URL") }]],
  ])("refuses %s with the field path", async (_, overrides, violations) => {
    const failure = await expectFailure(harness.workspace(undefined, AGENT).createMacro({ name: "m", shortCode: "m", ...overrides }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });

  test("a personal macro needs a user (an API token has none)", async () => {
    const failure = await expectFailure(harness.workspace().createMacro({ name: "mine", shortCode: "mine", body: "x", visibility: "personal" }));
    expect(failure.violations).toEqual([{ path: "visibility", message: "personal macros need a signed-in user (not an API token)" }]);
  });
});

describe("visibility", () => {
  test("personal macros are visible only to their creator", async () => {
    const workspaceId = newObjectId();
    const me = harness.workspace(workspaceId, AGENT, IN_TEAM);
    const colleague = harness.workspace(workspaceId, OTHER_AGENT, IN_TEAM);
    const token = harness.workspace(workspaceId); // no user and no team: an API token
    const { macro: personal } = await me.createMacro({ name: "Mine", shortCode: "mine", body: "x", visibility: "personal" });
    const { macro: shared } = await me.createMacro({ name: "Shared", shortCode: "shared", body: "x" });
    const { macro: team } = await me.createMacro({ name: "Team", shortCode: "team", body: "x", visibility: "team", teamId: TEAM });

    expect((await me.listMacros({ sortBy: "shortCode", sortOrder: "asc" })).items.map((m) => m.shortCode)).toEqual(["mine", "shared", "team"]);
    expect((await colleague.listMacros({ sortBy: "shortCode", sortOrder: "asc" })).items.map((m) => m.shortCode)).toEqual(["shared", "team"]);
    expect((await token.listMacros({})).pagination!.total).toBe(1);
    for (const call of [
      () => colleague.getMacro({ id: personal!.id }),
      () => colleague.getMacroByShortCode({ shortCode: "mine" }),
      () => colleague.updateMacro({ id: personal!.id, macro: { name: "Stolen" }, updateMask: ["name"] }),
      () => colleague.deleteMacro({ id: personal!.id }),
      () => colleague.renderMacro({ id: personal!.id }),
      () => colleague.executeMacro({ id: personal!.id, conversationId: "c1" }),
    ]) {
      expect(await expectFailure(call())).toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await me.getMacro({ id: personal!.id })).macro!.name).toBe("Mine");
    expect(shared && team).toBeTruthy();

    // Only the creator can make a macro personal.
    const failure = await expectFailure(colleague.updateMacro({ id: shared!.id, macro: { visibility: "personal" }, updateMask: ["visibility"] }));
    expect(failure.violations).toEqual([{ path: "macro.visibility", message: "only the macro's creator can make it personal" }]);
  });
});

describe("team visibility", () => {
  test("a team macro is seen and used by the team's members and by macros:manage, by no one else", async () => {
    const workspaceId = newObjectId();
    const member = harness.workspace(workspaceId, AGENT, IN_TEAM);
    const teammate = harness.workspace(workspaceId, OTHER_AGENT, { teamIds: [OTHER_TEAM, TEAM] });
    const outsider = harness.workspace(workspaceId, newObjectId(), { teamIds: [OTHER_TEAM] });
    const manager = harness.workspace(workspaceId, newObjectId(), { permissions: ["macros:manage"] });
    const owner = harness.workspace(workspaceId, newObjectId(), { permissions: ["*"] });
    const token = harness.workspace(workspaceId);
    const { macro } = await member.createMacro({ name: "Team", shortCode: "team", body: "Hi {{customer.firstName}}", visibility: "team", teamId: TEAM });
    await member.createMacro({ name: "All", shortCode: "all", body: "x" });
    const codes = async (client: typeof member) => (await client.listMacros({ sortBy: "shortCode", sortOrder: "asc" })).items.map((m) => m.shortCode);

    for (const client of [member, teammate, manager, owner]) {
      expect(await codes(client)).toEqual(["all", "team"]);
      expect((await client.getMacroByShortCode({ shortCode: "/team" })).macro!.id).toBe(macro!.id);
      expect((await client.renderMacro({ id: macro!.id, context: { customer: { firstName: "Ana" } } })).text).toBe("Hi Ana");
    }
    expect((await teammate.executeMacro({ id: macro!.id, conversationId: "c1" })).conversationId).toBe("c1");
    expect((await member.listMacros({ teamId: TEAM })).items.map((m) => m.id)).toEqual([macro!.id]);

    for (const client of [outsider, token]) {
      expect(await codes(client)).toEqual(["all"]);
      expect((await client.listMacros({ teamId: TEAM })).items).toEqual([]);
      // One call at a time: started together, a rejection could land before its expectation awaits it.
      for (const call of [
        () => client.getMacro({ id: macro!.id }),
        () => client.getMacroByShortCode({ shortCode: "team" }),
        () => client.renderMacro({ id: macro!.id }),
        () => client.executeMacro({ id: macro!.id, conversationId: "c1" }),
        () => client.updateMacro({ id: macro!.id, macro: { name: "Taken" }, updateMask: ["name"] }),
        () => client.deleteMacro({ id: macro!.id }),
      ]) {
        expect(await expectFailure(call())).toMatchObject({ code: "NOT_FOUND" });
      }
    }
  });

  test("a macro is shared with a team only by one of its members (or macros:manage)", async () => {
    const workspaceId = newObjectId();
    const member = harness.workspace(workspaceId, AGENT, IN_TEAM);
    const refused = await expectFailure(member.createMacro({ name: "T", shortCode: "t", body: "x", visibility: "team", teamId: OTHER_TEAM }));
    expect(refused.violations).toEqual([{ path: "teamId", message: "is not a team you belong to" }]);

    const { macro } = await member.createMacro({ name: "T", shortCode: "t", body: "x", visibility: "team", teamId: TEAM });
    const moved = await expectFailure(member.updateMacro({ id: macro!.id, macro: { teamId: OTHER_TEAM }, updateMask: ["team_id"] }));
    expect(moved.violations).toEqual([{ path: "macro.teamId", message: "is not a team you belong to" }]);
    // Renaming keeps the team it has.
    expect((await member.updateMacro({ id: macro!.id, macro: { name: "Renamed" }, updateMask: ["name"] })).macro!.teamId).toBe(TEAM);

    const manager = harness.workspace(workspaceId, newObjectId(), { permissions: ["macros:manage"] });
    const { macro: other } = await manager.createMacro({ name: "O", shortCode: "o", body: "x", visibility: "team", teamId: OTHER_TEAM });
    expect(other).toMatchObject({ visibility: "team", teamId: OTHER_TEAM });
    expect(await expectFailure(member.getMacro({ id: other!.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("GetMacroByShortCode, ListMacros", () => {
  test("finds by short code with or without the slash, ignoring case", async () => {
    const client = harness.workspace(undefined, AGENT);
    const { macro } = await client.createMacro({ name: "Refund", shortCode: "refund", body: "We refunded you." });
    expect((await client.getMacroByShortCode({ shortCode: "/Refund" })).macro).toEqual(macro);
    expect(await expectFailure(client.getMacroByShortCode({ shortCode: "nope" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  test("filters by visibility, team and kind; searches names, codes and bodies; sorts by usage", async () => {
    const client = harness.workspace(undefined, AGENT, IN_TEAM);
    const { macro: a } = await client.createMacro({ name: "Shipping times", shortCode: "ship", body: "Orders ship in 2 days." });
    await client.createMacro({ name: "Escalate", shortCode: "esc", actions: [{ type: "assign_team", teamId: TEAM }] });
    await client.createMacro({ name: "Team hello", shortCode: "team-hello", body: "Hello from the team", visibility: "team", teamId: TEAM });
    await client.executeMacro({ id: a!.id, conversationId: "c1" });

    const codes = async (request: object) => (await client.listMacros(request)).items.map((m) => m.shortCode);
    expect(await codes({ kind: "multi_action" })).toEqual(["esc"]);
    expect(await codes({ kind: "quick_reply", sortBy: "shortCode", sortOrder: "asc" })).toEqual(["ship", "team-hello"]);
    expect(await codes({ visibility: "team" })).toEqual(["team-hello"]);
    expect(await codes({ teamId: TEAM })).toEqual(["team-hello"]);
    expect(await codes({ search: "2 DAYS" })).toEqual(["ship"]);
    expect(await codes({ search: "esc" })).toEqual(["esc"]);
    expect((await codes({ sortBy: "usageCount", sortOrder: "desc" }))[0]).toBe("ship");
    expect((await codes({ sortBy: "lastUsedAt", sortOrder: "desc" }))[0]).toBe("ship");
    const page = await client.listMacros({ limit: 2, page: 2 });
    expect(page.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
  });
});

describe("UpdateMacro, DeleteMacro", () => {
  test("updates the named fields and re-validates the macro as a whole", async () => {
    const client = harness.workspace(undefined, AGENT, IN_TEAM);
    const { macro } = await client.createMacro({ name: "Reply", shortCode: "reply", body: "Hi" });
    const { macro: updated } = await client.updateMacro({
      id: macro!.id,
      macro: { body: "Hi {{customer.firstName}}", actions: [{ type: "set_status", status: "pending" }] },
      updateMask: ["body", "actions"],
    });
    expect(updated).toMatchObject({ name: "Reply", body: "Hi {{customer.firstName}}", actions: [{ type: "set_status", status: "pending" }] });

    const emptied = await expectFailure(client.updateMacro({ id: macro!.id, macro: { body: "", actions: [] }, updateMask: ["body", "actions"] }));
    expect(emptied.violations).toEqual([{ path: "macro.body", message: "a macro needs a body or at least one action" }]);

    const { macro: team } = await client.updateMacro({ id: macro!.id, macro: { visibility: "team", teamId: TEAM }, updateMask: ["visibility", "team_id"] });
    expect(team).toMatchObject({ visibility: "team", teamId: TEAM });
    const { macro: back } = await client.updateMacro({ id: macro!.id, macro: { visibility: "workspace" }, updateMask: ["visibility"] });
    expect(back).toMatchObject({ visibility: "workspace", teamId: "" });
  });

  test("a short code taken by another macro is refused on update", async () => {
    const client = harness.workspace(undefined, AGENT);
    await client.createMacro({ name: "a", shortCode: "a", body: "a" });
    const { macro: b } = await client.createMacro({ name: "b", shortCode: "b", body: "b" });
    expect(await expectFailure(client.updateMacro({ id: b!.id, macro: { shortCode: "A" }, updateMask: ["short_code"] }))).toMatchObject({ code: "ALREADY_EXISTS" });
  });

  test("delete removes the macro", async () => {
    const client = harness.workspace(undefined, AGENT);
    const { macro } = await client.createMacro({ name: "gone", shortCode: "gone", body: "x" });
    expect(await client.deleteMacro({ id: macro!.id })).toEqual({});
    expect(await expectFailure(client.getMacro({ id: macro!.id }))).toMatchObject({ code: "NOT_FOUND", resource: { type: "Macro", id: macro!.id } });
    expect(await expectFailure(client.deleteMacro({ id: macro!.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("tenant isolation", () => {
  test("another workspace's macros are invisible and untouchable", async () => {
    const owner = harness.workspace(undefined, AGENT);
    const intruder = harness.workspace(undefined, AGENT); // the same user, in another workspace
    const { macro } = await owner.createMacro({ name: "Secret", shortCode: "secret", body: "x" });
    for (const call of [
      () => intruder.getMacro({ id: macro!.id }),
      () => intruder.getMacroByShortCode({ shortCode: "secret" }),
      () => intruder.updateMacro({ id: macro!.id, macro: { name: "Mine" }, updateMask: ["name"] }),
      () => intruder.deleteMacro({ id: macro!.id }),
      () => intruder.renderMacro({ id: macro!.id }),
      () => intruder.executeMacro({ id: macro!.id, conversationId: "c1" }),
    ]) {
      expect(await expectFailure(call())).toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await intruder.listMacros({})).items).toEqual([]);
    await intruder.createMacro({ name: "Secret", shortCode: "secret", body: "x" }); // the code is free there
    expect((await owner.getMacro({ id: macro!.id })).macro).toEqual(macro);
  });
});
