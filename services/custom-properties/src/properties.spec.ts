import { expectFailure } from "@velaflows/testing";
import { startPropertiesHarness, type PropertiesHarness } from "./test-harness";

let harness: PropertiesHarness;
beforeAll(async () => {
  harness = await startPropertiesHarness();
});
afterAll(() => harness.stop());

describe("CreateProperty", () => {
  test("creates a select property with cleaned options, defaults and the next position", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000001");
    const { property: first } = await client.createProperty({ entityType: "customer", key: "plan", label: " Plan ", type: "text" });
    const { property } = await client.createProperty({
      entityType: "customer",
      key: "tier",
      label: "Tier",
      type: "select",
      options: [
        { value: "gold", label: "Gold", color: "#FFD700", order: 2 },
        { value: "silver", label: "Silver", order: 1 },
      ],
      defaultValue: "Silver",
    });
    expect(first).toMatchObject({ key: "plan", label: "Plan", position: 0, active: true, required: false });
    expect(property).toMatchObject({
      workspaceId: client.workspaceId,
      entityType: "customer",
      key: "tier",
      type: "select",
      options: [
        { value: "silver", label: "Silver", color: "#6b7280", order: 0 },
        { value: "gold", label: "Gold", color: "#ffd700", order: 1 },
      ],
      defaultValue: "silver", // given by label, stored as the option value
      position: 1,
      groupId: "",
      createdBy: "6b0a00000000000000000001",
    });
    expect(property!.id).toMatch(/^[0-9a-f]{24}$/);
  });

  test("a currency property gets USD unless given a code; relation properties name their target", async () => {
    const client = harness.workspace();
    const { property: amount } = await client.createProperty({ entityType: "lead", key: "budget", label: "Budget", type: "currency", defaultValue: 100 });
    expect(amount).toMatchObject({ currencyCode: "USD", defaultValue: { amount: 100, currencyCode: "USD" } });
    const { property: relation } = await client.createProperty({
      entityType: "customer",
      key: "referredBy",
      label: "Referred by",
      type: "relation",
      relationEntityType: "customer",
    });
    expect(relation).toMatchObject({ type: "relation", relationEntityType: "customer" });
  });

  test("refuses a key taken in the workspace and entity type, ignoring case and underscores", async () => {
    const client = harness.workspace();
    await client.createProperty({ entityType: "customer", key: "loyalty_level", label: "Loyalty", type: "text" });
    const failure = await expectFailure(client.createProperty({ entityType: "customer", key: "loyaltyLevel", label: "Loyalty 2", type: "text" }));
    expect(failure).toMatchObject({ code: "ALREADY_EXISTS", reason: "PROPERTY_KEY_TAKEN" });
    // The same key on another entity type, or in another workspace, is fine.
    await client.createProperty({ entityType: "lead", key: "loyalty_level", label: "Loyalty", type: "text" });
    await harness.workspace().createProperty({ entityType: "customer", key: "loyalty_level", label: "Loyalty", type: "text" });
  });

  test.each([
    ["a key colliding with a built-in field", { key: "first_name" }, [{ path: "key", message: 'collides with the built-in field "firstName" of customer' }]],
    ["a key colliding ignoring case", { key: "EMAIL".toLowerCase() + "s" }, [{ path: "key", message: 'collides with the built-in field "emails" of customer' }]],
    ["a key that is not snake or camel case", { key: "Bad-Key" }, [{ path: "key", message: expect.stringContaining("must match") }]],
    ["a missing label", { label: "" }, [{ path: "label", message: "is required" }]],
    ["an unknown type", { type: "colour" }, [{ path: "type", message: expect.stringContaining("must be one of: text, long_text") }]],
    ["a select without options", { type: "select" }, [{ path: "options", message: "a select property needs at least one option" }]],
    [
      "duplicate option values",
      { type: "multi_select", options: [{ value: "a", label: "A" }, { value: "A", label: "B" }] },
      [{ path: "options[1].value", message: '"A" is used twice' }],
    ],
    ["options on a text property", { options: [{ value: "a", label: "A" }] }, [{ path: "options", message: "only select and multi_select properties have options" }]],
    ["a relation without its entity type", { type: "relation" }, [{ path: "relationEntityType", message: "is required for a relation property" }]],
    ["a regular expression that does not compile", { validationRegex: "[a-" }, [{ path: "validationRegex", message: "is not a valid regular expression" }]],
    [
      "a regular expression that could backtrack exponentially",
      { validationRegex: "(\\w+\\s?)+" },
      [{ path: "validationRegex", message: expect.stringContaining("must not repeat a group that itself repeats") }],
    ],
    ["a regular expression on a number", { type: "number", validationRegex: "\\d+" }, [{ path: "validationRegex", message: expect.stringContaining("only text") }]],
    ["a default of the wrong type", { type: "number", defaultValue: "many" }, [{ path: "defaultValue", message: "must be a number" }]],
    ["a default that fails the regex", { validationRegex: "[A-Z]{3}", validationHint: "three capitals", defaultValue: "abc" }, [{ path: "defaultValue", message: "three capitals" }]],
    ["a currency code on a text property", { currencyCode: "EUR" }, [{ path: "currencyCode", message: "only currency properties have a currency code" }]],
  ])("refuses %s with the field path", async (_, overrides, violations) => {
    const request = { entityType: "customer", key: "custom_field", label: "Custom", type: "text", ...overrides };
    const failure = await expectFailure(harness.workspace().createProperty(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });

  test("refuses a group of another entity type", async () => {
    const client = harness.workspace();
    const { group } = await client.createPropertyGroup({ entityType: "lead", name: "Deal" });
    const failure = await expectFailure(client.createProperty({ entityType: "customer", key: "x", label: "X", type: "text", groupId: group!.id }));
    expect(failure.violations).toEqual([{ path: "groupId", message: "is not a property group of customer" }]);
  });
});

describe("GetProperty, GetPropertyByKey", () => {
  test("returns the property by id and by entity type and key", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "conversation", key: "orderId", label: "Order", type: "text" });
    expect((await client.getProperty({ id: property!.id })).property).toEqual(property);
    expect((await client.getPropertyByKey({ entityType: "conversation", key: "orderId" })).property).toEqual(property);
  });

  test("answers NOT_FOUND for unknown ids and keys", async () => {
    const client = harness.workspace();
    expect(await expectFailure(client.getProperty({ id: "0123456789abcdef01234567" }))).toMatchObject({
      code: "NOT_FOUND",
      resource: { type: "Property", id: "0123456789abcdef01234567" },
    });
    expect(await expectFailure(client.getPropertyByKey({ entityType: "customer", key: "nope" }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("ListProperties", () => {
  test("filters by entity type, group, active state and type; searches; sorts; paginates", async () => {
    const client = harness.workspace();
    const { group } = await client.createPropertyGroup({ entityType: "customer", name: "Billing" });
    const a = (await client.createProperty({ entityType: "customer", key: "vat_number", label: "VAT number", type: "text", groupId: group!.id })).property!;
    const b = (await client.createProperty({ entityType: "customer", key: "birthday", label: "Birthday", type: "date" })).property!;
    const c = (await client.createProperty({ entityType: "lead", key: "budget", label: "Budget", type: "number" })).property!;
    await client.deactivateProperty({ id: b.id });

    const keys = async (request: object) => (await client.listProperties(request)).items.map((p) => p.key);
    expect(await keys({ entityType: "customer", sortBy: "position", sortOrder: "asc" })).toEqual(["vat_number", "birthday"]);
    expect(await keys({ groupId: group!.id })).toEqual(["vat_number"]);
    expect(await keys({ groupId: "none", sortBy: "key", sortOrder: "asc" })).toEqual(["birthday", "budget"]);
    expect(await keys({ active: "false" })).toEqual(["birthday"]);
    expect(await keys({ active: "true", sortBy: "label", sortOrder: "asc" })).toEqual(["budget", "vat_number"]);
    expect(await keys({ type: "number" })).toEqual(["budget"]);
    expect(await keys({ search: "VAT" })).toEqual(["vat_number"]);
    expect(await keys({})).toEqual([c.key, b.key, a.key]); // createdAt desc by default

    const page = await client.listProperties({ limit: 2, page: 2, sortBy: "createdAt", sortOrder: "asc" });
    expect(page.items.map((p) => p.key)).toEqual(["budget"]);
    expect(page.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
  });

  test("refuses a malformed group filter and an unknown sort", async () => {
    const failure = await expectFailure(harness.workspace().listProperties({ groupId: "nope", sortBy: "colour" }));
    expect(failure.violations.map((v) => v.path).sort()).toEqual(["groupId", "sortBy"]);
  });
});

describe("UpdateProperty", () => {
  test("updates the named fields, re-validating the definition as a whole", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({
      entityType: "customer",
      key: "tier",
      label: "Tier",
      type: "select",
      options: [{ value: "gold", label: "Gold" }],
    });
    const { property: updated } = await client.updateProperty({
      id: property!.id,
      property: { label: "Customer tier", options: [{ value: "gold", label: "Gold" }, { value: "bronze", label: "Bronze" }], required: true },
      updateMask: ["label", "options", "required"],
    });
    expect(updated).toMatchObject({ key: "tier", label: "Customer tier", required: true, options: [{ value: "gold" }, { value: "bronze" }] });

    const failure = await expectFailure(client.updateProperty({ id: property!.id, property: { defaultValue: "platinum" }, updateMask: ["default_value"] }));
    expect(failure.violations).toEqual([{ path: "property.defaultValue", message: "must be one of: gold, bronze" }]);
  });

  test("a null default clears it; removing the option a default names is refused", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({
      entityType: "customer",
      key: "tier",
      label: "Tier",
      type: "select",
      options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }],
      defaultValue: "gold",
    });
    const failure = await expectFailure(client.updateProperty({ id: property!.id, property: { options: [{ value: "silver", label: "Silver" }] }, updateMask: ["options"] }));
    expect(failure.violations).toEqual([{ path: "property.defaultValue", message: "must be one of: silver" }]);
    const { property: cleared } = await client.updateProperty({ id: property!.id, property: { defaultValue: null }, updateMask: ["default_value"] });
    expect(cleared!.defaultValue).toBeUndefined();
    const { property: narrowed } = await client.updateProperty({ id: property!.id, property: { options: [{ value: "silver", label: "Silver" }] }, updateMask: ["options"] });
    expect(narrowed!.options.map((o) => o.value)).toEqual(["silver"]);
  });

  test("allows widening type changes and drops what the new type does not have", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "customer", key: "size", label: "Size", type: "select", options: [{ value: "l", label: "Large" }] });
    const { property: text } = await client.updateProperty({ id: property!.id, property: { type: "text" }, updateMask: ["type"] });
    expect(text).toMatchObject({ type: "text", options: [] });
    const { property: long } = await client.updateProperty({ id: property!.id, property: { type: "long_text" }, updateMask: ["type"] });
    expect(long!.type).toBe("long_text");
  });

  test("refuses type changes that would invalidate existing values", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "customer", key: "score", label: "Score", type: "number" });
    const failure = await expectFailure(client.updateProperty({ id: property!.id, property: { type: "text" }, updateMask: ["type"] }));
    expect(failure.violations).toEqual([
      { path: "property.type", message: "cannot change from number to text: existing values would no longer be valid; create a new property instead" },
    ]);
  });

  test("refuses fields that cannot be updated", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "customer", key: "score", label: "Score", type: "number" });
    const failure = await expectFailure(client.updateProperty({ id: property!.id, property: { key: "other" }, updateMask: ["key"] }));
    expect(failure.violations[0]).toMatchObject({ path: "updateMask" });
  });
});

describe("ReorderProperties", () => {
  test("puts the listed properties first, the others after in their order", async () => {
    const client = harness.workspace();
    const ids: string[] = [];
    for (const key of ["a", "b", "c", "d"]) ids.push((await client.createProperty({ entityType: "lead", key, label: key.toUpperCase(), type: "text" })).property!.id);
    const { items } = await client.reorderProperties({ entityType: "lead", propertyIds: [ids[2]!, ids[0]!] });
    expect(items.map((p) => [p.key, p.position])).toEqual([
      ["c", 0],
      ["a", 1],
      ["b", 2],
      ["d", 3],
    ]);
  });

  test("refuses ids of other entity types and duplicates", async () => {
    const client = harness.workspace();
    const lead = (await client.createProperty({ entityType: "lead", key: "a", label: "A", type: "text" })).property!;
    const customer = (await client.createProperty({ entityType: "customer", key: "b", label: "B", type: "text" })).property!;
    const failure = await expectFailure(client.reorderProperties({ entityType: "lead", propertyIds: [lead.id, customer.id, lead.id] }));
    expect(failure.violations).toEqual([
      { path: "propertyIds[1]", message: "is not a property of lead" },
      { path: "propertyIds[2]", message: "is listed twice" },
    ]);
  });
});

describe("Deactivate, reactivate, delete", () => {
  test("deactivation is reversible and idempotent", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "customer", key: "legacy", label: "Legacy", type: "text" });
    const { property: off } = await client.deactivateProperty({ id: property!.id });
    expect(off).toMatchObject({ active: false });
    expect(off!.deactivatedAt).toBeInstanceOf(Date);
    expect((await client.deactivateProperty({ id: property!.id })).property).toEqual(off);
    const { property: on } = await client.reactivateProperty({ id: property!.id });
    expect(on).toMatchObject({ active: true });
    expect(on!.deactivatedAt).toBeUndefined();
  });

  test("delete needs confirm=true and explains why", async () => {
    const client = harness.workspace();
    const { property } = await client.createProperty({ entityType: "customer", key: "nickname", label: "Nickname", type: "text" });
    const failure = await expectFailure(client.deleteProperty({ id: property!.id }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", message: "Deleting a property needs confirmation" });
    expect(failure.violations).toEqual([
      { path: "confirm", message: 'must be true: deleting "nickname" removes its values from every customer; deactivate it instead to keep them' },
    ]);
    await client.getProperty({ id: property!.id });

    const { property: deleted } = await client.deleteProperty({ id: property!.id, confirm: true });
    expect(deleted!.key).toBe("nickname");
    expect(await expectFailure(client.getProperty({ id: property!.id }))).toMatchObject({ code: "NOT_FOUND" });
    // The key is free again.
    await client.createProperty({ entityType: "customer", key: "nickname", label: "Nickname", type: "text" });
  });
});

describe("Groups", () => {
  test("create, list with counts, rename, reorder, delete ungroups the properties", async () => {
    const client = harness.workspace();
    const { group: billing } = await client.createPropertyGroup({ entityType: "customer", name: " Billing ", description: "Invoices" });
    const { group: social } = await client.createPropertyGroup({ entityType: "customer", name: "Social" });
    expect(billing).toMatchObject({ name: "Billing", description: "Invoices", position: 0, propertyCount: 0, entityType: "customer" });
    expect(social!.position).toBe(1);
    const { property } = await client.createProperty({ entityType: "customer", key: "vat", label: "VAT", type: "text", groupId: billing!.id });

    expect((await client.getPropertyGroup({ id: billing!.id })).group!.propertyCount).toBe(1);
    const listed = await client.listPropertyGroups({ entityType: "customer", sortBy: "position", sortOrder: "asc" });
    expect(listed.items.map((g) => [g.name, g.propertyCount])).toEqual([
      ["Billing", 1],
      ["Social", 0],
    ]);

    const { group: renamed } = await client.updatePropertyGroup({ id: billing!.id, group: { name: "Invoicing" }, updateMask: ["name"] });
    expect(renamed).toMatchObject({ name: "Invoicing", description: "Invoices" });
    expect(await expectFailure(client.updatePropertyGroup({ id: social!.id, group: { name: "INVOICING" }, updateMask: ["name"] }))).toMatchObject({
      code: "ALREADY_EXISTS",
      reason: "PROPERTY_GROUP_NAME_TAKEN",
    });

    const { items } = await client.reorderPropertyGroups({ entityType: "customer", groupIds: [social!.id] });
    expect(items.map((g) => g.name)).toEqual(["Social", "Invoicing"]);

    expect(await client.deletePropertyGroup({ id: billing!.id })).toEqual({ ungroupedCount: 1 });
    expect((await client.getProperty({ id: property!.id })).property!.groupId).toBe("");
    expect(await expectFailure(client.getPropertyGroup({ id: billing!.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  test("moving a property into a group", async () => {
    const client = harness.workspace();
    const { group } = await client.createPropertyGroup({ entityType: "lead", name: "Deal" });
    const { property } = await client.createProperty({ entityType: "lead", key: "budget", label: "Budget", type: "number" });
    const { property: moved } = await client.updateProperty({ id: property!.id, property: { groupId: group!.id }, updateMask: ["group_id"] });
    expect(moved!.groupId).toBe(group!.id);
    const { property: out } = await client.updateProperty({ id: property!.id, property: { groupId: "" }, updateMask: ["group_id"] });
    expect(out!.groupId).toBe("");
  });
});

describe("ListEntityTypes and GetEntityDefinitions", () => {
  test("list the entity types with built-in fields and counts; definitions in display order", async () => {
    const client = harness.workspace();
    await client.createProperty({ entityType: "customer", key: "a", label: "A", type: "text" });
    const { property: b } = await client.createProperty({ entityType: "customer", key: "b", label: "B", type: "text" });
    await client.deactivateProperty({ id: b!.id });
    const { items } = await client.listEntityTypes({});
    expect(items.map((i) => i.entityType)).toEqual(["customer", "conversation", "lead", "registration", "broker", "task"]);
    expect(items[0]).toMatchObject({ entityType: "customer", propertyCount: 2, activePropertyCount: 1 });
    expect(items[0]!.builtInFields).toEqual(expect.arrayContaining(["firstName", "emails", "customProperties"]));

    await client.reorderProperties({ entityType: "customer", propertyIds: [b!.id] });
    const definitions = await client.getEntityDefinitions({ entityType: "customer" });
    expect(definitions.properties.map((p) => [p.key, p.active])).toEqual([
      ["b", false],
      ["a", true],
    ]);
  });
});
