import { expectFailure } from "@velaflows/testing";
import { startPropertiesHarness, type PropertiesClient, type PropertiesHarness } from "./test-harness";

// ValidatePropertyValues is what every owning service calls on each write of an entity's
// custom properties: these are the rules the customers, inbox and crm services inherit.
let harness: PropertiesHarness;
beforeAll(async () => {
  harness = await startPropertiesHarness();
});
afterAll(() => harness.stop());

/** A workspace with one customer property of every type. */
async function workspaceWithEveryType(): Promise<PropertiesClient> {
  const client = harness.workspace();
  const define = (key: string, type: string, extra: object = {}) => client.createProperty({ entityType: "customer", key, label: key, type, ...extra });
  await define("note", "text");
  await define("bio", "long_text");
  await define("score", "number");
  await define("budget", "currency", { currencyCode: "EUR" });
  await define("vip", "boolean");
  await define("birthday", "date");
  await define("lastOrderAt", "datetime");
  await define("tier", "select", { options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }] });
  await define("interests", "multi_select", { options: [{ value: "golf", label: "Golf" }, { value: "tennis", label: "Tennis" }, { value: "chess", label: "Chess" }] });
  await define("website", "url");
  await define("workEmail", "email");
  await define("mobile", "phone");
  await define("referrer", "relation", { relationEntityType: "customer" });
  return client;
}

test("normalises every type to its canonical form", async () => {
  const client = await workspaceWithEveryType();
  const { values } = await client.validatePropertyValues({
    entityType: "customer",
    values: {
      note: "  hello  ",
      bio: "line 1\nline 2",
      score: "42.50",
      budget: 1999.5,
      vip: "true",
      birthday: "1990-02-28",
      lastOrderAt: "2026-01-02T03:04:05+02:00",
      tier: "GOLD",
      interests: ["Chess", "golf", "chess"],
      website: "https://example.com/shop",
      workEmail: " Ana@Example.COM ",
      mobile: "+44 (20) 7946-0958",
      referrer: "0123456789ABCDEF01234567",
    },
  });
  expect(values).toEqual({
    note: "hello",
    bio: "line 1\nline 2",
    score: 42.5,
    budget: { amount: 1999.5, currencyCode: "EUR" },
    vip: true,
    birthday: "1990-02-28",
    lastOrderAt: "2026-01-02T01:04:05.000Z",
    tier: "gold",
    interests: ["golf", "chess"], // option order, no duplicates
    website: "https://example.com/shop",
    workEmail: "ana@example.com",
    mobile: "+442079460958",
    referrer: "0123456789abcdef01234567",
  });
});

test("refuses wrong values, naming each key as customProperties.<key>", async () => {
  const client = await workspaceWithEveryType();
  const failure = await expectFailure(
    client.validatePropertyValues({
      entityType: "customer",
      values: {
        note: 12,
        score: "twelve",
        budget: { amount: 5, currencyCode: "euro" },
        vip: "yes",
        birthday: "2026-02-30",
        lastOrderAt: "2026-01-02 03:04", // no time zone
        tier: "platinum",
        interests: ["golf", "polo"],
        website: "ftp://example.com",
        workEmail: "not-an-email",
        mobile: "12345",
        referrer: "someone",
        unknownKey: "x",
      },
    }),
  );
  expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", reason: "VALIDATION_ERROR" });
  expect(failure.violations).toEqual([
    { path: "customProperties.note", message: "must be a string" },
    { path: "customProperties.score", message: "must be a number" },
    { path: "customProperties.budget", message: "currencyCode must be a three-letter ISO 4217 code" },
    { path: "customProperties.vip", message: "must be true or false" },
    { path: "customProperties.birthday", message: "must be a valid date" },
    { path: "customProperties.lastOrderAt", message: "must be an ISO 8601 date-time with a time zone" },
    { path: "customProperties.tier", message: "must be one of: gold, silver" },
    { path: "customProperties.interests", message: 'has "polo", not one of: golf, tennis, chess' },
    { path: "customProperties.website", message: "must be an http(s) URL" },
    { path: "customProperties.workEmail", message: "must be an e-mail address" },
    { path: "customProperties.mobile", message: "must be a phone number in E.164 form, such as +14155552671" },
    { path: "customProperties.referrer", message: "must be a 24-character hex id" },
    { path: "customProperties.unknownKey", message: "is not a custom property of customer" },
  ]);
});

test.each([
  ["multi_select given one option as a string", "interests", "Tennis", ["tennis"]],
  ["an empty multi_select list is no value", "interests", [], undefined],
  ["a datetime in UTC", "lastOrderAt", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00.000Z"],
  ["a date given as a timestamp keeps its UTC date", "birthday", "1990-02-28T23:30:00-02:00", "1990-03-01"],
  ["a currency amount as a numeric string", "budget", { amount: "12.30" }, { amount: 12.3, currencyCode: "EUR" }],
  ["a currency in another currency", "budget", { amount: 5, currencyCode: "usd" }, { amount: 5, currencyCode: "USD" }],
  ["a phone with a 00 prefix", "mobile", "00 351 912 345 678", "+351912345678"],
  ["a number in exponent form", "score", "1e3", 1000],
  ["a boolean false", "vip", false, false],
])("%s", async (_, key, raw, expected) => {
  const client = await workspaceWithEveryType();
  const { values } = await client.validatePropertyValues({ entityType: "customer", values: { [key]: raw } });
  expect(values![key]).toEqual(expected);
});

test("a create needs required values and gets defaults; a patch may leave them out", async () => {
  const client = harness.workspace();
  await client.createProperty({ entityType: "lead", key: "source_campaign", label: "Campaign", type: "text", required: true });
  await client.createProperty({ entityType: "lead", key: "stage_score", label: "Score", type: "number", defaultValue: 10 });
  await client.createProperty({ entityType: "lead", key: "optional_note", label: "Note", type: "text" });

  const missing = await expectFailure(client.validatePropertyValues({ entityType: "lead", values: {} }));
  expect(missing.violations).toEqual([{ path: "customProperties.source_campaign", message: "is required" }]);
  const blank = await expectFailure(client.validatePropertyValues({ entityType: "lead", values: { source_campaign: "   " } }));
  expect(blank.violations).toEqual([{ path: "customProperties.source_campaign", message: "is required" }]);

  expect((await client.validatePropertyValues({ entityType: "lead", values: { source_campaign: "spring", optional_note: "" } })).values).toEqual({
    source_campaign: "spring",
    stage_score: 10,
  });
  // A patch: nothing required, no defaults; null (or an empty value) clears an optional property.
  expect((await client.validatePropertyValues({ entityType: "lead", partial: true, values: { optional_note: null, stage_score: "" } })).values).toEqual({
    optional_note: null,
    stage_score: null,
  });
  const clearRequired = await expectFailure(client.validatePropertyValues({ entityType: "lead", partial: true, values: { source_campaign: null } }));
  expect(clearRequired.violations).toEqual([{ path: "customProperties.source_campaign", message: "is required" }]);
});

test("regular expressions with their hint", async () => {
  const client = harness.workspace();
  await client.createProperty({ entityType: "customer", key: "account_code", label: "Account", type: "text", validationRegex: "AC-\\d{4}", validationHint: "like AC-1234" });
  expect((await client.validatePropertyValues({ entityType: "customer", values: { account_code: "AC-0042" } })).values).toEqual({ account_code: "AC-0042" });
  const failure = await expectFailure(client.validatePropertyValues({ entityType: "customer", values: { account_code: "xAC-0042" } }));
  expect(failure.violations).toEqual([{ path: "customProperties.account_code", message: "like AC-1234" }]);
});

test("deactivated properties accept no new values and are not required, but can be cleared", async () => {
  const client = harness.workspace();
  const { property } = await client.createProperty({ entityType: "customer", key: "old_id", label: "Old id", type: "text", required: true });
  await client.deactivateProperty({ id: property!.id });
  expect((await client.validatePropertyValues({ entityType: "customer", values: {} })).values).toEqual({});
  const failure = await expectFailure(client.validatePropertyValues({ entityType: "customer", values: { old_id: "x" } }));
  expect(failure.violations).toEqual([{ path: "customProperties.old_id", message: "is deactivated: new values are not accepted" }]);
  expect((await client.validatePropertyValues({ entityType: "customer", partial: true, values: { old_id: null } })).values).toEqual({ old_id: null });
});

test("a deleted property's key is unknown again", async () => {
  const client = harness.workspace();
  const { property } = await client.createProperty({ entityType: "customer", key: "temp", label: "Temp", type: "text" });
  await client.deleteProperty({ id: property!.id, confirm: true });
  const failure = await expectFailure(client.validatePropertyValues({ entityType: "customer", values: { temp: "x" } }));
  expect(failure.violations).toEqual([{ path: "customProperties.temp", message: "is not a custom property of customer" }]);
});

test("the public ValidateValues checks the same without saving, naming its own field", async () => {
  const client = await workspaceWithEveryType();
  expect((await client.validateValues({ entityType: "customer", values: { score: "7" } })).values).toEqual({ score: 7 });
  const failure = await expectFailure(client.validateValues({ entityType: "customer", values: { score: "seven" } }));
  expect(failure.violations).toEqual([{ path: "values.score", message: "must be a number" }]);
});

test("definitions are per workspace: another workspace's keys are unknown", async () => {
  const client = await workspaceWithEveryType();
  const other = harness.workspace();
  expect((await client.validatePropertyValues({ entityType: "customer", values: { vip: true } })).values).toEqual({ vip: true });
  const failure = await expectFailure(other.validatePropertyValues({ entityType: "customer", values: { vip: true } }));
  expect(failure.violations).toEqual([{ path: "customProperties.vip", message: "is not a custom property of customer" }]);
});

test("the batch check gives each item its own result, in order", async () => {
  const client = await workspaceWithEveryType();
  const { results } = await client.batchValidatePropertyValues({
    entityType: "customer",
    items: [{ score: "1" }, { score: "one", vip: "maybe" }, {}],
  });
  expect(results).toEqual([
    { valid: true, values: { score: 1 }, violations: [] },
    {
      valid: false,
      values: undefined,
      violations: [
        { path: "customProperties.score", message: "must be a number" },
        { path: "customProperties.vip", message: "must be true or false" },
      ],
    },
    { valid: true, values: {}, violations: [] },
  ]);
  const tooMany = await expectFailure(client.batchValidatePropertyValues({ entityType: "customer", items: Array.from({ length: 1001 }, () => ({})) }));
  expect(tooMany.violations).toEqual([{ path: "items", message: expect.stringContaining("1000") }]);
});
