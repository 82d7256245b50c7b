import { Client } from "pg";
import { startMacrosHarness, type MacrosHarness } from "./test-harness";

let harness: MacrosHarness;
let db: Client;
beforeAll(async () => {
  harness = await startMacrosHarness();
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await harness.stop();
});

const AGENT = "6b0a000000000000000000a1";
const TAG = "6b0a000000000000000000f1";

const context = {
  customer: {
    firstName: "Ana",
    lastName: "Silva",
    emails: [{ email: "ana@old.example" }, { email: "ana@example.com", primary: true }],
    customProperties: { tier: "gold", interests: ["golf", "chess"], budget: { amount: 1999.5, currencyCode: "EUR" } },
  },
  agent: { name: "Sam Lee" },
  conversation: { _id: "6b0a000000000000000000c1", channel: "whatsapp" },
};

test("renders variables, derived values, custom properties and fallbacks; reports what is missing", async () => {
  const client = harness.workspace(undefined, AGENT);
  const { macro } = await client.createMacro({
    name: "Welcome",
    shortCode: "welcome",
    body:
      'Hi {{customer.firstName}} ({{customer.name}}, {{customer.email}}), {{agent.firstName}} here. ' +
      'Tier {{ customer.customProperties.tier }}, likes {{customer.customProperties.interests}}, budget {{customer.customProperties.budget}}. ' +
      'Company: {{customer.company | default: "your company"}}. Phone: {{customer.phone}}. Ref {{conversation.id}} on {{conversation.channel}}.',
  });
  const rendered = await client.renderMacro({ id: macro!.id, context });
  expect(rendered.text).toBe(
    "Hi Ana (Ana Silva, ana@example.com), Sam here. Tier gold, likes golf, chess, budget 1999.5 EUR. " +
      "Company: your company. Phone: . Ref 6b0a000000000000000000c1 on whatsapp.",
  );
  expect(rendered.missingVariables).toEqual(["customer.phone"]);
  expect(rendered.unknownVariables).toEqual([]);
  // A quick reply's plan is one reply of its text.
  expect(rendered.actions).toEqual([expect.objectContaining({ type: "send_reply", body: rendered.text })]);
  // Rendering is not a use.
  expect((await client.getMacro({ id: macro!.id })).macro!.usageCount).toBe(0);
});

test("rendering without a context leaves every variable missing", async () => {
  const client = harness.workspace(undefined, AGENT);
  const { macro } = await client.createMacro({ name: "Hi", shortCode: "hi", body: "Hi {{customer.firstName}} from {{workspace.name}}" });
  const rendered = await client.renderMacro({ id: macro!.id });
  expect(rendered).toMatchObject({ text: "Hi  from ", missingVariables: ["customer.firstName", "workspace.name"] });
});

test("execute renders the plan, counts the use and publishes it for the Inbox", async () => {
  const client = harness.workspace(undefined, AGENT);
  const { macro } = await client.createMacro({
    name: "Resolve",
    shortCode: "resolve",
    actions: [
      { type: "send_reply", body: "Bye {{customer.firstName}}!", attachments: [{ url: "https://cdn.example.com/survey.pdf", name: "Survey" }] },
      { type: "add_tag", tagId: TAG },
      { type: "add_private_note", body: "Resolved for {{conversation.id}}" },
      { type: "set_status", status: "resolved" },
    ],
  });
  const result = await client.executeMacro({ id: macro!.id, conversationId: "conv-42", context: { customer: { firstName: "Ana" } } });
  expect(result.executionId).toMatch(/^[0-9a-f]{24}$/);
  expect(result.conversationId).toBe("conv-42");
  expect(result.actions.map((a) => [a.type, a.body || a.tagId || a.status])).toEqual([
    ["send_reply", "Bye Ana!"],
    ["add_tag", TAG],
    ["add_private_note", "Resolved for conv-42"], // the conversation id fills conversation.id when the context has none
    ["set_status", "resolved"],
  ]);
  expect(result.actions[0]!.attachments).toEqual([{ url: "https://cdn.example.com/survey.pdf", name: "Survey", contentType: "" }]);
  expect(result.macro).toMatchObject({ usageCount: 1 });
  expect(result.macro!.lastUsedAt).toBeInstanceOf(Date);

  await client.executeMacro({ id: macro!.id, conversationId: "conv-43" });
  expect((await client.getMacro({ id: macro!.id })).macro!.usageCount).toBe(2);

  const { rows } = await db.query<{ event_type: string; data: Record<string, unknown> }>(
    `SELECT "event_type", "data" FROM "macros"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "occurred_at", "id"`,
    [client.workspaceId],
  );
  expect(rows.map((r) => r.event_type)).toEqual(["macros.macro.created", "macros.macro.executed", "macros.macro.executed"]);
  expect(rows[1]!.data).toMatchObject({
    executionId: result.executionId,
    macroId: macro!.id,
    conversationId: "conv-42",
    executedBy: AGENT,
    actions: [{ type: "send_reply", body: "Bye Ana!" }, { type: "add_tag", tagId: TAG }, { type: "add_private_note" }, { type: "set_status", status: "resolved" }],
  });
});

test("every change writes its event; a refused change writes none", async () => {
  const client = harness.workspace(undefined, AGENT);
  const { macro } = await client.createMacro({ name: "a", shortCode: "a", body: "a" });
  await client.updateMacro({ id: macro!.id, macro: { name: "b" }, updateMask: ["name"] });
  await client.updateMacro({ id: macro!.id, macro: { name: "b" }, updateMask: ["name"] }); // no change
  await client.createMacro({ name: "dup", shortCode: "A", body: "x" }).catch(() => undefined);
  await client.deleteMacro({ id: macro!.id });
  const { rows } = await db.query<{ event_type: string; data: Record<string, unknown> }>(
    `SELECT "event_type", "data" FROM "macros"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "occurred_at", "id"`,
    [client.workspaceId],
  );
  expect(rows.map((r) => r.event_type)).toEqual(["macros.macro.created", "macros.macro.updated", "macros.macro.deleted"]);
  expect(rows[1]!.data).toMatchObject({ changedFields: ["name"], macro: { name: "b" } });
  expect(rows[2]!.data).toEqual({ macroId: macro!.id, shortCode: "a" });
});

test("lists the variables", async () => {
  const { items } = await harness.workspace().listMacroVariables({});
  expect(items.map((v) => v.name)).toEqual(expect.arrayContaining(["customer.firstName", "agent.name", "customer.customProperties.<key>"]));
});

test("bulk execute renders each conversation with its own context, in one transaction", async () => {
  const client = harness.workspace(undefined, AGENT);
  const { macro } = await client.createMacro({
    name: "Follow up",
    shortCode: "follow-up",
    actions: [
      { type: "send_reply", body: "Hi {{customer.firstName}}, any news?" },
      { type: "snooze", snoozeMinutes: 1440 },
    ],
  });
  const { items, macro: used } = await client.bulkExecuteMacro({
    id: macro!.id,
    targets: [
      { conversationId: "c-1", context: { customer: { firstName: "Ana" } } },
      { conversationId: "c-2", context: { customer: { firstName: "Bo" } } },
      { conversationId: "c-3" },
    ],
  });
  expect(items.map((i) => [i.conversationId, i.actions[0]!.body, i.missingVariables])).toEqual([
    ["c-1", "Hi Ana, any news?", []],
    ["c-2", "Hi Bo, any news?", []],
    ["c-3", "Hi , any news?", ["customer.firstName"]],
  ]);
  expect(new Set(items.map((i) => i.executionId)).size).toBe(3);
  expect(used!.usageCount).toBe(3);
  const { rows } = await db.query<{ data: { conversationId: string } }>(
    `SELECT "data" FROM "macros"."outbox_events" WHERE "workspace_id" = $1 AND "event_type" = 'macros.macro.executed' ORDER BY "id"`,
    [client.workspaceId],
  );
  expect(rows.map((r) => r.data.conversationId).sort()).toEqual(["c-1", "c-2", "c-3"]);

  // An unknown macro executes for nobody and counts nothing.
  const { expectFailure } = await import("@velaflows/testing");
  expect(await expectFailure(client.bulkExecuteMacro({ id: "0123456789abcdef01234567", targets: [{ conversationId: "c-1" }] }))).toMatchObject({ code: "NOT_FOUND" });
  const none = await expectFailure(client.bulkExecuteMacro({ id: macro!.id, targets: [] }));
  expect(none.violations).toEqual([{ path: "targets", message: "is required" }]);
  const tooMany = await expectFailure(client.bulkExecuteMacro({ id: macro!.id, targets: Array.from({ length: 101 }, (_, i) => ({ conversationId: `c-${i}` })) }));
  expect(tooMany.violations).toEqual([{ path: "targets", message: expect.stringContaining("100") }]);
  expect((await client.getMacro({ id: macro!.id })).macro!.usageCount).toBe(3);
});

describe("WhatsApp 24-hour window", () => {
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

  test("a reply outside the window renders with a warning and is refused on execute; inside it is fine", async () => {
    const client = harness.workspace(undefined, AGENT);
    const { macro } = await client.createMacro({ name: "Nudge", shortCode: "nudge", body: "Still there?" });
    const closed = { conversation: { channel: "whatsapp", lastCustomerMessageAt: hoursAgo(30) } };
    const rendered = await client.renderMacro({ id: macro!.id, context: closed });
    expect(rendered.warnings).toEqual([expect.stringContaining("more than 24 hours ago")]);

    const { expectFailure } = await import("@velaflows/testing");
    const refused = await expectFailure(client.executeMacro({ id: macro!.id, conversationId: "c-1", context: closed }));
    expect(refused).toMatchObject({ code: "FAILED_PRECONDITION", reason: "WHATSAPP_WINDOW_CLOSED" });
    const bulk = await expectFailure(
      client.bulkExecuteMacro({
        id: macro!.id,
        targets: [{ conversationId: "c-2", context: { conversation: { channel: "whatsapp", lastCustomerMessageAt: hoursAgo(1) } } }, { conversationId: "c-3", context: closed }],
      }),
    );
    expect(bulk.message).toContain("c-3");
    expect((await client.getMacro({ id: macro!.id })).macro!.usageCount).toBe(0); // nothing executed

    const open = await client.executeMacro({ id: macro!.id, conversationId: "c-1", context: { conversation: { channel: "whatsapp", lastCustomerMessageAt: hoursAgo(1) } } });
    expect(open.macro!.usageCount).toBe(1);
    // Other channels, and macros that send nothing, have no window.
    await client.executeMacro({ id: macro!.id, conversationId: "c-1", context: { conversation: { channel: "email", lastCustomerMessageAt: hoursAgo(30) } } });
    const { macro: silent } = await client.createMacro({ name: "Resolve", shortCode: "resolve", actions: [{ type: "set_status", status: "resolved" }] });
    await client.executeMacro({ id: silent!.id, conversationId: "c-1", context: closed });
  });
});
