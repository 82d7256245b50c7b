import { expectFailure } from "@velaflows/testing";
import { startCustomersHarness, type CustomersHarness } from "./test-harness";

let h: CustomersHarness;
beforeAll(async () => {
  h = await startCustomersHarness();
}, 120_000);
afterAll(() => h.stop());

test("one workspace never sees or changes another's customers, notes, segments, merges or jobs", async () => {
  const owner = h.workspace();
  const intruder = h.workspace();
  const customer = (await owner.customers.createCustomer({ firstName: "Private", emails: [{ address: "private@example.com" }], phones: [{ number: "+15555550777" }] })).customer!;
  const other = (await owner.customers.createCustomer({ firstName: "Other" })).customer!;
  const note = (await owner.customers.createNote({ customerId: customer.id, body: "secret" })).note!;
  const segment = (await owner.customers.createSegment({ name: "All", filter: {} })).segment!;
  const merge = (await owner.customers.mergeCustomers({ id: customer.id, sourceIds: [other.id] })).merge!;
  const importJob = (await owner.customers.createImportJob({ csv: "email\nx@example.com" })).job!;
  const exportJob = (await owner.customers.createExportJob({})).job!;
  const mine = (await intruder.customers.createCustomer({ firstName: "Mine" })).customer!;
  const id = customer.id;

  const attempts: Record<string, [Promise<unknown>, string, string]> = {
    getCustomer: [intruder.customers.getCustomer({ id }), "Customer", id],
    batchGetCustomers: [intruder.customers.batchGetCustomers({ ids: [mine.id, id] }), "Customer", id],
    updateCustomer: [intruder.customers.updateCustomer({ id, customer: { firstName: "Hijacked" }, updateMask: ["first_name"] }), "Customer", id],
    deleteCustomer: [intruder.customers.deleteCustomer({ id }), "Customer", id],
    setCustomerTags: [intruder.customers.setCustomerTags({ id, tagIds: [] }), "Customer", id],
    mergeIntoOwn: [intruder.customers.mergeCustomers({ id: mine.id, sourceIds: [id] }), "Customer", id],
    mergeFromOwn: [intruder.customers.mergeCustomers({ id, sourceIds: [mine.id] }), "Customer", id],
    createNote: [intruder.customers.createNote({ customerId: id, body: "x" }), "Customer", id],
    listNotes: [intruder.customers.listNotes({ customerId: id }), "Customer", id],
    updateNote: [intruder.customers.updateNote({ customerId: id, id: note.id, note: { body: "x" }, updateMask: ["body"] }), "Note", note.id],
    deleteNote: [intruder.customers.deleteNote({ customerId: id, id: note.id }), "Note", note.id],
    getTimeline: [intruder.customers.getTimeline({ id }), "Customer", id],
    getSegment: [intruder.customers.getSegment({ id: segment.id }), "Segment", segment.id],
    updateSegment: [intruder.customers.updateSegment({ id: segment.id, segment: { name: "x" }, updateMask: ["name"] }), "Segment", segment.id],
    deleteSegment: [intruder.customers.deleteSegment({ id: segment.id }), "Segment", segment.id],
    listBySegment: [intruder.customers.listCustomers({ segmentId: segment.id }), "Segment", segment.id],
    exportBySegment: [intruder.customers.createExportJob({ segmentId: segment.id }), "Segment", segment.id],
    getMerge: [intruder.customers.getMerge({ id: merge.id }), "Merge", merge.id],
    getImportJob: [intruder.customers.getImportJob({ id: importJob.id }), "ImportJob", importJob.id],
    getImportErrors: [intruder.customers.getImportErrors({ id: importJob.id }), "ImportJob", importJob.id],
    getExportJob: [intruder.customers.getExportJob({ id: exportJob.id }), "ExportJob", exportJob.id],
    downloadExport: [intruder.customers.downloadExport({ id: exportJob.id }), "ExportJob", exportJob.id],
  };
  for (const [route, [attempt, type, resourceId]] of Object.entries(attempts)) {
    const failure = await expectFailure(attempt);
    expect({ route, code: failure.code, resource: failure.resource }).toEqual({ route, code: "NOT_FOUND", resource: { type, id: resourceId } });
  }
  expect(await expectFailure(intruder.customers.lookupCustomer({ email: "private@example.com" }))).toMatchObject({ code: "NOT_FOUND" });

  // Lists and counts show only the caller's own data; keys are free in the other workspace.
  expect((await intruder.customers.listCustomers({})).items.map((c) => c.firstName)).toEqual(["Mine"]);
  expect((await intruder.customers.listCustomers({ search: "private" })).pagination!.total).toBe(0);
  expect((await intruder.customers.countCustomers({})).count).toBe(1);
  expect((await intruder.customers.listSegments({})).items).toEqual([]);
  expect((await intruder.customers.listMerges({})).items).toEqual([]);
  expect((await intruder.customers.listImportJobs({})).items).toEqual([]);
  expect((await intruder.customers.listExportJobs({})).items).toEqual([]);
  await intruder.customers.createCustomer({ emails: [{ address: "private@example.com" }], phones: [{ number: "+15555550777" }] });
  await intruder.customers.createSegment({ name: "All", filter: {} });

  // The owner's data is untouched.
  expect((await owner.customers.getCustomer({ id })).customer).toMatchObject({ firstName: "Private", primaryEmail: "private@example.com" });
  expect((await owner.customers.listNotes({ customerId: id })).items.map((n) => n.body)).toEqual(["secret"]);
  expect((await owner.customers.getSegment({ id: segment.id })).segment).toMatchObject({ name: "All", customerCount: 1 });
});

test("calls without a workspace are refused", async () => {
  const { customers } = h.workspace("");
  expect(await expectFailure(customers.listCustomers({}))).toMatchObject({ code: "UNAUTHENTICATED" });
});
