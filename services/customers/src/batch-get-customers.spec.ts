import { newObjectId, ServiceError } from "@velaflows/kit";
import { expectFailure } from "@velaflows/testing";
import { startCustomersHarness, type CustomersHarness } from "./test-harness";

let h: CustomersHarness;
beforeAll(async () => {
  h = await startCustomersHarness();
}, 120_000);
afterAll(() => h.stop());

describe("BatchGetCustomers", () => {
  test("answers the customers in request order, a repeated id each time", async () => {
    const { customers, workspaceId } = h.workspace();
    const a = (await customers.createCustomer({ firstName: "A", emails: [{ address: "a@example.com" }] })).customer!;
    const b = (await customers.createCustomer({ firstName: "B" })).customer!;
    const c = (await customers.createCustomer({ firstName: "C" })).customer!;
    const answer = await customers.batchGetCustomers({ ids: [c.id, a.id, c.id, b.id] });
    expect(answer.customers.map((customer) => customer.firstName)).toEqual(["C", "A", "C", "B"]);
    expect(answer.customers[1]).toMatchObject({ id: a.id, workspaceId, primaryEmail: "a@example.com" });
  });

  test("answers 100 ids", async () => {
    const { customers } = h.workspace();
    const { id } = (await customers.createCustomer({ firstName: "Many" })).customer!;
    const answer = await customers.batchGetCustomers({ ids: Array.from({ length: 100 }, () => id) });
    expect(answer.customers).toHaveLength(100);
  });

  test("is all or nothing: unknown ids fail with NOT_FOUND naming every one of them, in ErrorInfo metadata too", async () => {
    const { customers } = h.workspace();
    const known = (await customers.createCustomer({ firstName: "Known" })).customer!;
    const missing = [newObjectId(), newObjectId()];
    const request = { ids: [missing[0]!, known.id, missing[1]!, missing[0]!] };
    const failure = await expectFailure(customers.batchGetCustomers(request));
    expect(failure).toMatchObject({ code: "NOT_FOUND", reason: "NOT_FOUND", resource: { type: "Customer", id: missing[0] } });
    expect(failure.message).toBe(`Customers not found: ${missing.join(", ")}`);
    const error = await customers.batchGetCustomers(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).metadata).toEqual({ missing_ids: missing.join(",") });
  });

  test("another workspace's customers are not found", async () => {
    const owner = h.workspace();
    const intruder = h.workspace();
    const theirs = (await owner.customers.createCustomer({ firstName: "Private" })).customer!;
    const mine = (await intruder.customers.createCustomer({ firstName: "Mine" })).customer!;
    const failure = await expectFailure(intruder.customers.batchGetCustomers({ ids: [mine.id, theirs.id] }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", message: `Customer not found: ${theirs.id}`, resource: { type: "Customer", id: theirs.id } });
  });

  test.each([
    ["no ids", [], [{ path: "ids", message: "is required" }]],
    ["101 ids", Array.from({ length: 101 }, () => newObjectId()), [{ path: "ids", message: "must have at most 100 items" }]],
    ["a malformed id", [newObjectId(), "nope"], [{ path: "ids[1]", message: "must be a 24-character hex id" }]],
  ])("refuses %s with the field path", async (_, ids, violations) => {
    const failure = await expectFailure(h.workspace().customers.batchGetCustomers({ ids }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });
});
