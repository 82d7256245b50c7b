import { expectFailure } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, leadProperties, leadTags, newCustomer, startCrmHarness, type CrmHarness } from "./test-harness";

// A lead's tags and custom property values are checked by the real Tags and Custom Properties services.
let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness({ customers: true });
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

const paths = (failure: { violations: readonly { path: string }[] }) => failure.violations.map((v) => v.path);

describe("tags", () => {
  test("a lead takes only tags of its workspace that apply to leads", async () => {
    const client = harness.workspace();
    const [hot] = await leadTags(client, "hot");
    const customerOnly = (await client.tags.createTag({ name: "customers only", entityTypes: ["customer"] })).tag!.id;
    const [elsewhere] = await leadTags(harness.workspace(), "hot");
    const refused = await expectFailure(client.createLead({ firstName: "Ana", tagIds: [hot!, elsewhere!, customerOnly, "6b0a00000000000000000a99"] }));
    expect(refused.code).toBe("INVALID_ARGUMENT");
    expect(paths(refused)).toEqual(["tagIds[1]", "tagIds[2]", "tagIds[3]"]);
    expect((await client.listLeads({})).items).toHaveLength(0);

    const { lead } = await client.createLead({ firstName: "Ana", tagIds: [hot!] });
    expect(lead!.tagIds).toEqual([hot]);
    const update = await expectFailure(client.updateLead({ id: lead!.id, lead: { tagIds: [hot!, elsewhere!] }, updateMask: ["tag_ids"] }));
    expect(paths(update)).toEqual(["lead.tagIds[1]"]);
    const bulk = await expectFailure(client.bulkUpdateLeads({ leadIds: [lead!.id], addTagIds: [elsewhere!], ownerId: "u1" }));
    expect(paths(bulk)).toEqual(["addTagIds[0]"]);
    expect((await client.getLead({ id: lead!.id })).lead).toMatchObject({ tagIds: [hot], ownerId: "" });
    // Removing a tag that no longer exists is allowed: only added tags are checked.
    const removed = await client.bulkUpdateLeads({ leadIds: [lead!.id], removeTagIds: [hot!, elsewhere!] });
    expect(removed.leads[0]!.tagIds).toEqual([]);
  });
});

describe("tags in one call", () => {
  // The count of one Tags RPC in the Tags service's own metrics (its ops HTTP port).
  async function tagsCalls(method: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${harness.upstreams.tags.httpPort}/metrics`)).text();
    return text
      .split("\n")
      .filter((line) => line.startsWith("rpc_server_call_duration_seconds_count") && line.includes(`rpc_method="velaflows.tags.v1.TagsService/${method}"`))
      .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
  }

  test("a lead's tags are checked with one BatchGetTags, not one GetTag per tag", async () => {
    const client = harness.workspace();
    const ids = await leadTags(client, "a", "b", "c");
    const [batches, singles] = [await tagsCalls("BatchGetTags"), await tagsCalls("GetTag")];
    await client.createLead({ firstName: "Ana", tagIds: ids });
    expect(await tagsCalls("BatchGetTags")).toBe(batches + 1);
    expect(await tagsCalls("GetTag")).toBe(singles);
  });
});

describe("customer", () => {
  test("a lead's customerId must be a customer of its workspace (Customers service), on create and update (imports: lead-jobs.spec)", async () => {
    const client = harness.workspace();
    const mine = await newCustomer(client, "Mine");
    const elsewhere = await newCustomer(harness.workspace(), "Elsewhere");
    const unknown = "6b0a00000000000000000c99";
    for (const customerId of [elsewhere, unknown]) {
      const refused = await expectFailure(client.createLead({ firstName: "Ana", customerId }));
      expect(refused).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "customerId", message: `no customer ${customerId} in this workspace` }] });
    }
    expect((await client.listLeads({})).items).toHaveLength(0);

    const { lead } = await client.createLead({ firstName: "Ana", customerId: mine });
    expect(lead!.customerId).toBe(mine);
    const update = await expectFailure(client.updateLead({ id: lead!.id, lead: { customerId: elsewhere }, updateMask: ["customer_id"] }));
    expect(update.violations).toEqual([{ path: "lead.customerId", message: `no customer ${elsewhere} in this workspace` }]);
    expect((await client.getLead({ id: lead!.id })).lead!.customerId).toBe(mine);
    // Unlinking needs no check; the customer is checked only when the field is written.
    const { lead: unlinked } = await client.updateLead({ id: lead!.id, lead: { customerId: "" }, updateMask: ["customer_id"] });
    expect(unlinked!.customerId).toBe("");
    const { lead: renamed } = await client.updateLead({ id: lead!.id, lead: { firstName: "Anna", customerId: unknown }, updateMask: ["first_name"] });
    expect(renamed).toMatchObject({ firstName: "Anna", customerId: "" });

  });
});

describe("custom properties", () => {
  test("create stores the normalised values and refuses invalid ones with their keys", async () => {
    const client = harness.workspace();
    await leadProperties(client, { budget: "number", region: "text" });
    const { lead } = await client.createLead({ firstName: "Ana", customProperties: { budget: 5000, region: "  south  " } });
    expect(lead!.customProperties).toEqual({ budget: 5000, region: "south" });
    const refused = await expectFailure(client.createLead({ firstName: "Bob", customProperties: { budget: "lots", unknown: 1 } }));
    expect(refused.code).toBe("INVALID_ARGUMENT");
    expect(paths(refused).sort()).toEqual(["customProperties.budget", "customProperties.unknown"]);
    // Properties belong to a workspace: another workspace has none.
    const other = await expectFailure(harness.workspace().createLead({ firstName: "Cy", customProperties: { budget: 1 } }));
    expect(paths(other)).toEqual(["customProperties.budget"]);
  });

  test("a required property is needed on create, not on a partial update, and cannot be cleared", async () => {
    const client = harness.workspace();
    await client.properties.createProperty({ entityType: "lead", key: "region", label: "Region", type: "text", required: true });
    await leadProperties(client, { budget: "number" });
    expect(paths(await expectFailure(client.createLead({ firstName: "Ana" })))).toEqual(["customProperties.region"]);
    const { lead } = await client.createLead({ firstName: "Ana", customProperties: { region: "north", budget: 10 } });
    const { lead: updated } = await client.updateLead({ id: lead!.id, lead: { customProperties: { budget: null } }, updateMask: ["custom_properties"] });
    expect(updated!.customProperties).toEqual({ region: "north" });
    const cleared = await expectFailure(client.updateLead({ id: lead!.id, lead: { customProperties: { region: null } }, updateMask: ["custom_properties"] }));
    expect(paths(cleared)).toEqual(["lead.customProperties.region"]);
    const invalid = await expectFailure(client.updateLead({ id: lead!.id, lead: { customProperties: { budget: "x" } }, updateMask: ["custom_properties"] }));
    expect(paths(invalid)).toEqual(["lead.customProperties.budget"]);
    expect((await client.getLead({ id: lead!.id })).lead!.customProperties).toEqual({ region: "north" });
  });
});
