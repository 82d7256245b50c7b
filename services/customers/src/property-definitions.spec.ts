import { expectFailure, type CallFailure } from "@velaflows/testing";
import { eventually, startCustomersHarness, type CustomersHarness } from "./test-harness";

// Customers caches the customer property definitions of each workspace (kit
// createEntityDefinitionsCache) and forgets them on custom-properties.property.* events.
let h: CustomersHarness;
beforeAll(async () => {
  h = await startCustomersHarness();
}, 120_000);
afterAll(() => h.stop());

test("a required property created in Custom Properties is enforced on the next write after its event", async () => {
  const { customers, properties } = h.workspace();
  // Loads and caches the (empty) definitions: nothing to validate, nothing required.
  const { customer: plain } = await customers.createCustomer({ firstName: "Before" });
  expect(plain!.customProperties).toEqual({});

  await properties.createProperty({ entityType: "customer", key: "region", label: "Region", type: "text", required: true });
  // Bounded polling: the custom-properties.property.created event reaches Customers through the bus.
  const outcome = await eventually(
    () => customers.createCustomer({ firstName: "After" }).then(() => undefined, (error: unknown) => error),
    (error) => error !== undefined,
  );
  expect(outcome).toBeDefined();
  const refused = await expectFailure(customers.createCustomer({ firstName: "After" }));
  expect(refused.code).toBe("INVALID_ARGUMENT");
  expect(refused.violations.map((v) => v.path)).toEqual(["customProperties.region"]);

  const { customer } = await customers.createCustomer({ firstName: "Given", customProperties: { region: " EU " } });
  expect(customer!.customProperties).toEqual({ region: "EU" });
  // A patch that leaves custom properties empty still passes without the property.
  const { customer: patched } = await customers.updateCustomer({ id: plain!.id, customer: { lastName: "Smith" }, updateMask: ["last_name"] });
  expect(patched!.lastName).toBe("Smith");
});

test("a property default is applied to customers created without values", async () => {
  const { customers, properties } = h.workspace();
  await customers.createCustomer({ firstName: "Before" });
  await properties.createProperty({ entityType: "customer", key: "tier", label: "Tier", type: "text", defaultValue: "basic" });
  const created = await eventually(
    () => customers.createCustomer({ firstName: "After" }),
    (r) => r.customer!.customProperties!.tier === "basic",
  );
  expect(created.customer!.customProperties).toEqual({ tier: "basic" });
});

test("list filters coerce values by property type and refuse unknown keys", async () => {
  const { customers, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "seats", label: "Seats", type: "number" });
  await properties.createProperty({ entityType: "customer", key: "vip", label: "VIP", type: "boolean" });
  await properties.createProperty({ entityType: "customer", key: "plan", label: "Plan", type: "text" });
  await customers.createCustomer({ firstName: "Big", customProperties: { seats: 50, vip: true, plan: "pro" } });
  await customers.createCustomer({ firstName: "Small", customProperties: { seats: 5, vip: false, plan: "free" } });

  const names = async (conditions: string[]) => (await customers.listCustomers({ filter: { customProperties: conditions } })).items.map((c) => c.firstName).sort();
  expect(await names(["seats=050"])).toEqual(["Big"]);
  expect(await names(["seats=5.0"])).toEqual(["Small"]);
  expect(await names(["vip=TRUE"])).toEqual(["Big"]);
  expect(await names(["vip=0", "plan=free"])).toEqual(["Small"]);
  expect((await customers.countCustomers({ filter: { customProperties: ["vip=false"] } })).count).toBe(1);

  const unknown = await expectFailure(customers.listCustomers({ filter: { customProperties: ["nope=1"] } }));
  expect(unknown.code).toBe("INVALID_ARGUMENT");
  expect(unknown.violations.map((v) => v.path)).toEqual(["filter.customProperties.nope"]);
  const badValues: CallFailure = await expectFailure(customers.countCustomers({ filter: { customProperties: ["seats=many", "vip=maybe"] } }));
  expect(badValues.code).toBe("INVALID_ARGUMENT");
  expect(badValues.violations.map((v) => v.path)).toEqual(["filter.customProperties.seats", "filter.customProperties.vip"]);

  // Another workspace's definitions are not this one's.
  const other = h.workspace();
  const isolated = await expectFailure(other.customers.listCustomers({ filter: { customProperties: ["seats=5"] } }));
  expect(isolated.violations.map((v) => v.path)).toEqual(["filter.customProperties.seats"]);
});

test("segments and exports check their custom property conditions the same way", async () => {
  const { customers, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "seats", label: "Seats", type: "number" });
  await customers.createCustomer({ firstName: "Big", customProperties: { seats: 50 } });

  const unknown = await expectFailure(customers.createSegment({ name: "Nope", filter: { customProperties: ["nope=1"] } }));
  expect(unknown.violations.map((v) => v.path)).toEqual(["filter.customProperties.nope"]);
  const { segment } = await customers.createSegment({ name: "Big", filter: { customProperties: ["seats=50.0"] } });
  expect(segment!.customerCount).toBe(1);
  expect(segment!.filter!.customProperties).toEqual(["seats=50"]);

  const badUpdate = await expectFailure(customers.updateSegment({ id: segment!.id, segment: { filter: { customProperties: ["seats=lots"] } }, updateMask: ["filter"] }));
  expect(badUpdate.violations.map((v) => v.path)).toEqual(["segment.filter.customProperties.seats"]);

  const badExport = await expectFailure(customers.createExportJob({ filter: { customProperties: ["nope=1"] } }));
  expect(badExport.code).toBe("INVALID_ARGUMENT");
  expect(badExport.violations.map((v) => v.path)).toEqual(["filter.customProperties.nope"]);
});

test("every replica forgets stale definitions: the property events reach each one (broadcast), not just one of them", async () => {
  const { workspaceId, customers, properties } = h.workspace();
  const replica = await h.startCustomers({});
  try {
    const second = replica.client(workspaceId);
    // Both replicas load and cache the (empty) definitions.
    await customers.createCustomer({ firstName: "First" });
    await second.createCustomer({ firstName: "Second" });

    await properties.createProperty({ entityType: "customer", key: "region", label: "Region", type: "text", required: true });
    // On a shared queue only one replica would hear of it and the other would accept customers
    // without the required value until its 60 s cache entry expired.
    for (const client of [customers, second]) {
      const outcome = await eventually(
        () => client.createCustomer({ firstName: "After" }).then(() => undefined, (error: unknown) => error),
        (error) => error !== undefined,
      );
      expect(outcome).toBeDefined();
      const refused = await expectFailure(client.createCustomer({ firstName: "After" }));
      expect(refused.violations.map((v) => v.path)).toEqual(["customProperties.region"]);
    }
  } finally {
    await replica.stop();
  }
});
