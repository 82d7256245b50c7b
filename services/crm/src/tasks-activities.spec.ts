import { expectFailure, readOutboxEvents } from "@velaflows/testing";
import { dayWindow } from "./domain/day-window";
import { HARNESS_START_TIMEOUT_MS, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

const ME = "6b0a00000000000000000005";
const PAST = new Date("2020-01-01T10:00:00Z");
const FUTURE = new Date("2100-01-01T10:00:00Z");

describe("tasks", () => {
  test("lifecycle: create, update, complete (crm.task.completed once), reopen, delete", async () => {
    const client = harness.workspace(undefined, ME);
    const { lead } = await client.createLead({ firstName: "Ana" });
    const { task } = await client.createTask({ title: " Call Ana back ", dueAt: FUTURE, assigneeId: ME, priority: "high", leadId: lead!.id });
    expect(task).toMatchObject({ title: "Call Ana back", dueAt: FUTURE, assigneeId: ME, priority: "high", leadId: lead!.id, status: "open", createdBy: ME });
    expect(task!.completedAt).toBeUndefined();
    expect(await readOutboxEvents("crm", "crm.task.created", (d) => d.task?._id === task!.id)).toHaveLength(1);

    const { task: updated } = await client.updateTask({ id: task!.id, task: { priority: "urgent", description: "about the proposal" }, updateMask: ["priority", "description"] });
    expect(updated).toMatchObject({ title: "Call Ana back", priority: "urgent", description: "about the proposal" });

    const { task: done } = await client.completeTask({ id: task!.id });
    expect(done).toMatchObject({ status: "completed", completedBy: ME });
    expect(done!.completedAt).toBeInstanceOf(Date);
    const again = await client.completeTask({ id: task!.id });
    expect(again.task!.completedAt).toEqual(done!.completedAt);
    const completed = await readOutboxEvents("crm", "crm.task.completed", (d) => d.task?._id === task!.id);
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data.task).toMatchObject({ status: "completed", leadId: lead!.id });

    const { task: reopened } = await client.reopenTask({ id: task!.id });
    expect(reopened).toMatchObject({ status: "open", completedBy: "" });
    expect(reopened!.completedAt).toBeUndefined();
    expect(await readOutboxEvents("crm", "crm.task.reopened", (d) => d.task?._id === task!.id)).toHaveLength(1);

    await client.deleteTask({ id: task!.id });
    expect((await expectFailure(client.getTask({ id: task!.id }))).code).toBe("NOT_FOUND");
    expect((await expectFailure(client.completeTask({ id: task!.id }))).code).toBe("NOT_FOUND");
  });

  test("refusals: blank title, unknown lead (422 leadId), status through update", async () => {
    const client = harness.workspace();
    expect((await expectFailure(client.createTask({ title: "  " }))).violations[0]!.path).toBe("title");
    expect((await expectFailure(client.createTask({ title: "x", priority: "asap" }))).violations[0]!.path).toBe("priority");
    const unknown = await expectFailure(client.createTask({ title: "x", leadId: "6b0a0000000000000000dead" }));
    expect(unknown.violations).toEqual([{ path: "leadId", message: "no such lead" }]);
    const { task } = await client.createTask({ title: "x" });
    expect((await expectFailure(client.updateTask({ id: task!.id, task: { title: "y" }, updateMask: ["status"] }))).violations[0]!.path).toBe("task.status");
    expect((await expectFailure(client.updateTask({ id: task!.id, task: { leadId: "6b0a0000000000000000dead" }, updateMask: ["lead_id"] }))).violations).toEqual([
      { path: "task.leadId", message: "no such lead" },
    ]);
  });

  test("views: mine, overdue, due today; filters by lead and status; soonest first", async () => {
    const client = harness.workspace(undefined, ME);
    const { lead } = await client.createLead({ firstName: "Ana" });
    // Due at the last millisecond of today (UTC): due today and not yet overdue.
    const endOfToday = new Date(dayWindow(new Date(), "UTC").end.getTime() - 1);
    const make = async (title: string, dueAt: Date | undefined, assigneeId = ME, leadId = "") => (await client.createTask({ title, dueAt, assigneeId, leadId })).task!;
    const late = await make("late", PAST);
    const today = await make("today", endOfToday, "someone-else", lead!.id);
    const later = await make("later", FUTURE);
    const undated = await make("undated", undefined);
    const lateDone = await make("late but done", PAST);
    await client.completeTask({ id: lateDone.id });

    const ids = async (request: Parameters<typeof client.listTasks>[0]) => (await client.listTasks(request)).items.map((t) => t.title);
    expect(await ids({})).toEqual(["late", "late but done", "today", "later", "undated"]);
    expect(await ids({ view: "mine" })).toEqual(["late", "late but done", "later", "undated"]);
    expect(await ids({ view: "overdue" })).toEqual(["late"]);
    expect(await ids({ view: "due_today" })).toEqual(["today"]);
    expect(await ids({ leadId: lead!.id })).toEqual(["today"]);
    expect(await ids({ status: "completed" })).toEqual(["late but done"]);
    expect(await ids({ sortBy: "createdAt", sortOrder: "desc", limit: 2 })).toEqual(["late but done", "undated"]);
    expect((await client.listTasks({ assigneeId: "someone-else" })).items.map((t) => t.id)).toEqual([today.id]);
    expect([late.id, later.id, undated.id]).toHaveLength(3);

    // "mine" needs a user; an unknown time zone is a 422.
    expect((await expectFailure(harness.workspace(client.workspaceId).listTasks({ view: "mine" }))).violations[0]!.path).toBe("view");
    expect((await expectFailure(client.listTasks({ view: "due_today", timeZone: "Mars/Olympus" }))).violations[0]!.path).toBe("timeZone");
  });

  test("the day window follows the time zone, including a DST change", () => {
    const instant = new Date("2026-03-29T12:00:00Z"); // Europe/Lisbon moves to summer time at 01:00 UTC that day
    expect(dayWindow(instant, "UTC")).toEqual({ start: new Date("2026-03-29T00:00:00Z"), end: new Date("2026-03-30T00:00:00Z") });
    expect(dayWindow(instant, "Europe/Lisbon")).toEqual({ start: new Date("2026-03-29T00:00:00Z"), end: new Date("2026-03-29T23:00:00Z") });
    expect(dayWindow(instant, "America/Sao_Paulo")).toEqual({ start: new Date("2026-03-29T03:00:00Z"), end: new Date("2026-03-30T03:00:00Z") });
    expect(dayWindow(new Date("2026-03-29T02:30:00Z"), "America/Sao_Paulo")).toEqual({ start: new Date("2026-03-28T03:00:00Z"), end: new Date("2026-03-29T03:00:00Z") });
    expect(dayWindow(instant, "Asia/Kolkata")).toEqual({ start: new Date("2026-03-28T18:30:00Z"), end: new Date("2026-03-29T18:30:00Z") });
  });
});

describe("activities and the timeline", () => {
  test("log activities (crm.activity.added), list and delete them; the timeline merges activities, stage changes and tasks", async () => {
    const client = harness.workspace(undefined, ME);
    const { open, won } = await simplePipeline(client);
    const { lead } = await client.createLead({ firstName: "Ana", stageId: open.id });
    const t0 = lead!.createdAt!.getTime();
    const at = (seconds: number) => new Date(t0 + seconds * 1000);

    const call = (await client.logActivity({ leadId: lead!.id, type: "call", subject: "Intro call", durationSeconds: 600, occurredAt: at(10) })).activity!;
    expect(call).toMatchObject({ leadId: lead!.id, type: "call", subject: "Intro call", durationSeconds: 600, occurredAt: at(10), createdBy: ME });
    const note = (await client.logActivity({ leadId: lead!.id, type: "note", body: "Wants a discount", occurredAt: at(30) })).activity!;
    const added = await readOutboxEvents("crm", "crm.activity.added", (d) => d.activity?.leadId === lead!.id);
    expect(added.map((e) => e.data.activity.type)).toEqual(["call", "note"]);

    const listed = await client.listActivities({ leadId: lead!.id });
    expect(listed.items.map((a) => a.id)).toEqual([note.id, call.id]);
    expect((await client.listActivities({ leadId: lead!.id, type: "call" })).items.map((a) => a.id)).toEqual([call.id]);

    const { task } = await client.createTask({ title: "Send proposal", leadId: lead!.id });
    const moved = await client.moveLead({ id: lead!.id, stageId: won.id });

    const timeline = await client.getLeadTimeline({ id: lead!.id });
    expect(timeline.pagination).toEqual({ page: 1, limit: 20, total: 5, totalPages: 1 });
    // The task and the move happened now, the logged activities at their own times.
    const kinds = timeline.items.map((e) => [e.kind, e.activity?.id ?? e.stageChange?.id ?? e.task?.id]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ["activity", note.id],
        ["activity", call.id],
        ["task", task!.id],
        ["stage_change", moved.change!.id],
      ]),
    );
    const times = timeline.items.map((e) => e.at!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(timeline.items[timeline.items.length - 1]).toMatchObject({ kind: "stage_change", stageChange: { fromStageId: "", toStageId: open.id } });
    const page2 = await client.getLeadTimeline({ id: lead!.id, limit: 2, page: 3 });
    expect(page2.items).toHaveLength(1);

    await client.deleteActivity({ leadId: lead!.id, id: call.id });
    expect((await client.listActivities({ leadId: lead!.id })).items.map((a) => a.id)).toEqual([note.id]);
    expect((await expectFailure(client.deleteActivity({ leadId: lead!.id, id: call.id }))).code).toBe("NOT_FOUND");
    expect((await client.getLeadTimeline({ id: lead!.id })).pagination!.total).toBe(4);

    // Deleting the lead deletes its activities and history; its tasks stay, unlinked.
    await client.deleteLead({ id: lead!.id });
    expect((await client.getTask({ id: task!.id })).task!.leadId).toBe("");
    expect((await expectFailure(client.getLeadTimeline({ id: lead!.id }))).code).toBe("NOT_FOUND");
  });

  test("activities need an existing lead and a known type", async () => {
    const client = harness.workspace();
    expect((await expectFailure(client.logActivity({ leadId: "6b0a0000000000000000dead", type: "call" }))).code).toBe("NOT_FOUND");
    const { lead } = await client.createLead({ firstName: "A" });
    expect((await expectFailure(client.logActivity({ leadId: lead!.id, type: "fax" }))).violations[0]!.path).toBe("type");
    expect((await expectFailure(client.logActivity({ leadId: lead!.id }))).violations[0]!.path).toBe("type");
  });
});
