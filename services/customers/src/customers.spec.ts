import { expectFailure } from "@velaflows/testing";
import { startCustomersHarness, type CustomersHarness } from "./test-harness";

let h: CustomersHarness;
beforeAll(async () => {
  h = await startCustomersHarness();
}, 120_000);
afterAll(() => h.stop());

test("create, get, partial update and delete a customer", async () => {
  const { customers } = h.workspace();
  const { customer } = await customers.createCustomer({
    firstName: " Ann ",
    lastName: "Smith",
    emails: [{ address: "Ann@Example.com" }, { address: "ann.work@example.com", primary: true, label: "work" }],
    phones: [{ number: "+15555550123" }],
    identities: { telegram: "123456", whatsapp: "+15555550123" },
    company: "Acme",
    country: "US",
    language: "en",
    consent: { whatsapp: { optedIn: true }, email: { optedOut: true } },
  });
  expect(customer).toMatchObject({
    firstName: "Ann",
    displayName: "Ann Smith",
    primaryEmail: "ann.work@example.com",
    primaryPhone: "+15555550123",
    source: "manual",
    emails: [
      { address: "ann.work@example.com", primary: true, label: "work" },
      { address: "ann@example.com", primary: false, label: "" },
    ],
    identities: { telegram: "123456", whatsapp: "+15555550123", instagram: "", messenger: "", email: "" },
    consent: { whatsapp: { optedIn: true, optedOut: false }, email: { optedIn: false, optedOut: true } },
  });
  expect(customer!.id).toMatch(/^[0-9a-f]{24}$/);

  // Only the fields in the mask change; the rest stay.
  const { customer: updated } = await customers.updateCustomer({ id: customer!.id, customer: { company: "Globex", lastName: "" }, updateMask: ["company", "last_name"] });
  expect(updated).toMatchObject({ firstName: "Ann", lastName: "", company: "Globex", country: "US", primaryEmail: "ann.work@example.com" });
  // One channel of consent patched, the others kept.
  const { customer: consented } = await customers.updateCustomer({ id: customer!.id, customer: { consent: { whatsapp: { optedOut: true } } }, updateMask: ["consent.whatsapp.opted_out"] });
  expect(consented!.consent).toEqual({ whatsapp: { optedIn: false, optedOut: true }, email: { optedIn: false, optedOut: true } });

  await customers.deleteCustomer({ id: customer!.id });
  expect(await expectFailure(customers.getCustomer({ id: customer!.id }))).toMatchObject({ code: "NOT_FOUND", resource: { type: "Customer", id: customer!.id } });
  // Its e-mail is free again.
  await customers.createCustomer({ emails: [{ address: "ann@example.com" }] });
});

test("e-mails, phones and channel identities are unique per workspace (409), and found by lookup", async () => {
  const { customers } = h.workspace();
  const { customer } = await customers.createCustomer({ firstName: "Bo", emails: [{ address: "bo@example.com" }], phones: [{ number: "+4915112345678" }], identities: { instagram: "ig-77" } });
  for (const duplicate of [{ emails: [{ address: "BO@example.com" }] }, { phones: [{ number: "+4915112345678" }] }, { identities: { instagram: "ig-77" } }]) {
    const failure = await expectFailure(customers.createCustomer(duplicate));
    expect(failure).toMatchObject({ code: "ALREADY_EXISTS", reason: "CUSTOMER_KEY_TAKEN", resource: { type: "Customer", id: customer!.id } });
  }
  const other = (await customers.createCustomer({ firstName: "Cy" })).customer!;
  expect(await expectFailure(customers.updateCustomer({ id: other.id, customer: { phones: [{ number: "+4915112345678" }] }, updateMask: ["phones"] }))).toMatchObject({ code: "ALREADY_EXISTS" });
  // Another workspace may use the same address.
  await h.workspace().customers.createCustomer({ emails: [{ address: "bo@example.com" }] });

  expect((await customers.lookupCustomer({ email: "Bo@Example.com" })).customer!.id).toBe(customer!.id);
  expect((await customers.lookupCustomer({ phone: "+4915112345678" })).customer!.id).toBe(customer!.id);
  expect((await customers.lookupCustomer({ channel: "instagram", identity: "ig-77" })).customer!.id).toBe(customer!.id);
  expect(await expectFailure(customers.lookupCustomer({ email: "nobody@example.com" }))).toMatchObject({ code: "NOT_FOUND" });
  expect(await expectFailure(customers.lookupCustomer({}))).toMatchObject({ code: "INVALID_ARGUMENT" });
});

test("bad input is refused with field paths", async () => {
  const { customers } = h.workspace();
  const cases: [object, { path: string }[]][] = [
    [{ emails: [{ address: "not-an-email" }] }, [{ path: "emails[0].address" }]],
    [{ phones: [{ number: "555-0123" }] }, [{ path: "phones[0].number" }]],
    [{ country: "usa" }, [{ path: "country" }]],
    [{ emails: [{ address: "a@x.io", primary: true }, { address: "b@x.io", primary: true }] }, [{ path: "emails" }]],
    [{ emails: [{ address: "a@x.io" }, { address: "A@x.io" }] }, [{ path: "emails[1].address" }]],
  ];
  for (const [request, violations] of cases) {
    const failure = await expectFailure(customers.createCustomer(request));
    expect({ request, code: failure.code, paths: failure.violations.map((v) => ({ path: v.path })) }).toEqual({ request, code: "INVALID_ARGUMENT", paths: violations });
  }
});

test("custom properties are validated by the Custom Properties service and filter lists", async () => {
  const { customers, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "plan", label: "Plan", type: "select", options: [{ value: "free", label: "Free" }, { value: "pro", label: "Pro" }] });
  await properties.createProperty({ entityType: "customer", key: "seats", label: "Seats", type: "number" });
  const pro = (await customers.createCustomer({ firstName: "Pro", customProperties: { plan: "pro", seats: 5 } })).customer!;
  await customers.createCustomer({ firstName: "Free", customProperties: { plan: "free" } });
  expect(pro.customProperties).toEqual({ plan: "pro", seats: 5 });

  const bad = await expectFailure(customers.createCustomer({ customProperties: { plan: "gold" } }));
  expect(bad.code).toBe("INVALID_ARGUMENT");
  expect(bad.violations.map((v) => v.path)).toEqual(["customProperties.plan"]);
  const wrongType = await expectFailure(customers.updateCustomer({ id: pro.id, customer: { customProperties: { seats: "many" } }, updateMask: ["custom_properties"] }));
  expect(wrongType.violations.map((v) => v.path)).toEqual(["customProperties.seats"]);

  // A patch merges keys; null removes one.
  const { customer: patched } = await customers.updateCustomer({ id: pro.id, customer: { customProperties: { seats: null } }, updateMask: ["custom_properties"] });
  expect(patched!.customProperties).toEqual({ plan: "pro" });

  const listed = await customers.listCustomers({ filter: { customProperties: ["plan=pro"] } });
  expect(listed.items.map((c) => c.firstName)).toEqual(["Pro"]);
  expect((await customers.countCustomers({ filter: { customProperties: ["plan=free"] } })).count).toBe(1);
});

test("required custom properties must be given on create", async () => {
  const { customers, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "region", label: "Region", type: "text", required: true });
  const failure = await expectFailure(customers.createCustomer({ firstName: "X" }));
  expect(failure.violations.map((v) => v.path)).toEqual(["customProperties.region"]);
  await customers.createCustomer({ firstName: "X", customProperties: { region: "EMEA" } });
});

test("tags go through the Tags service; lists filter by tag, owner, dates and opt-out", async () => {
  const { customers, tags } = h.workspace();
  const vip = (await tags.createTag({ name: "VIP" })).tag!;
  const lead = (await tags.createTag({ name: "Lead" })).tag!;
  const a = (await customers.createCustomer({ firstName: "A", tagIds: [vip.id, lead.id], ownerId: "u1", lastContactAt: new Date("2026-01-10T00:00:00Z") })).customer!;
  const b = (await customers.createCustomer({ firstName: "B", ownerId: "u2", lastContactAt: new Date("2026-03-10T00:00:00Z"), consent: { whatsapp: { optedOut: true } } })).customer!;
  expect(a.tagIds).toEqual([vip.id, lead.id].sort());
  expect((await tags.listEntityTags({ entity: { entityType: "customer", entityId: a.id } })).items.map((t) => t.name).sort()).toEqual(["Lead", "VIP"]);

  const { customer: tagged } = await customers.setCustomerTags({ id: b.id, tagIds: [vip.id] });
  expect(tagged!.tagIds).toEqual([vip.id]);
  expect(await expectFailure(customers.setCustomerTags({ id: b.id, tagIds: ["0123456789abcdef01234567"] }))).toMatchObject({ code: "NOT_FOUND" });

  const names = async (request: object) => (await customers.listCustomers(request)).items.map((c) => c.firstName).sort();
  expect(await names({ filter: { tagIds: [vip.id] } })).toEqual(["A", "B"]);
  expect(await names({ filter: { tagIds: [vip.id, lead.id] } })).toEqual(["A"]);
  expect(await names({ filter: { anyTagIds: [lead.id] } })).toEqual(["A"]);
  expect(await names({ filter: { ownerId: "u2" } })).toEqual(["B"]);
  expect(await names({ filter: { lastContactAfter: new Date("2026-02-01T00:00:00Z") } })).toEqual(["B"]);
  expect(await names({ filter: { lastContactBefore: new Date("2026-02-01T00:00:00Z") } })).toEqual(["A"]);
  expect(await names({ filter: { optedOutChannel: "whatsapp" } })).toEqual(["B"]);
  expect(await names({ filter: { contactableChannel: "whatsapp" } })).toEqual(["A"]);
  expect(await names({ filter: { createdAfter: new Date(Date.now() + 3_600_000) } })).toEqual([]);

  const sorted = await customers.listCustomers({ sortBy: "lastContactAt", sortOrder: "asc" });
  expect(sorted.items.map((c) => c.firstName)).toEqual(["A", "B"]);
  expect(sorted.pagination).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1 });
  expect(await expectFailure(customers.listCustomers({ sortBy: "email" }))).toMatchObject({ code: "INVALID_ARGUMENT" });
});

test("full-text search finds by partial name, e-mail, phone and company", async () => {
  const { customers } = h.workspace();
  await customers.createCustomer({ firstName: "Johanna", lastName: "O'Brien", emails: [{ address: "jo.brien@northwind.io" }], phones: [{ number: "+442071234567" }], company: "Northwind Traders" });
  await customers.createCustomer({ firstName: "Mark", lastName: "Smith", emails: [{ address: "mark@contoso.com" }], phones: [{ number: "+15550001111" }], company: "Contoso" });
  const search = async (text: string) => (await customers.listCustomers({ search: text })).items.map((c) => c.firstName);
  expect(await search("joh")).toEqual(["Johanna"]);
  expect(await search("brien")).toEqual(["Johanna"]);
  expect(await search("JOHANNA o'bri")).toEqual(["Johanna"]);
  expect(await search("northwind.io")).toEqual(["Johanna"]);
  expect(await search("contoso")).toEqual(["Mark"]);
  expect(await search("mark@contoso")).toEqual(["Mark"]);
  expect(await search("1234567")).toEqual(["Johanna"]); // a suffix of the number
  expect(await search("+44 20 7123")).toEqual(["Johanna"]);
  expect(await search("smi")).toEqual(["Mark"]);
  expect(await search("nobody")).toEqual([]);
  expect(await search("&|!")).toEqual([]);
});

test("search words match the workspace's words they start, with or without the letters-and-digits split, after renames too", async () => {
  const { customers } = h.workspace();
  const other = h.workspace();
  await other.customers.createCustomer({ firstName: "Annabel", lastName: "Smithers" });
  await customers.createCustomer({ firstName: "Annika", lastName: "Smithson", emails: [{ address: "annika.brown42@example.io" }] });
  const { customer: anne } = await customers.createCustomer({ firstName: "Anne", lastName: "Smith" });
  const search = async (text: string, limit = 20) => {
    const { items, pagination } = await customers.listCustomers({ search: text, limit, sortBy: "name", sortOrder: "asc" });
    return { names: items.map((c) => c.firstName), total: pagination!.total };
  };
  expect(await search("ann smi")).toEqual({ names: ["Anne", "Annika"], total: 2 });
  expect(await search("anna")).toEqual({ names: [], total: 0 }); // "Annabel" is another workspace's
  // "brown42" is stored as "brown" and "42": found whole, by the split prefixes, not by an inner part.
  expect((await search("brown42")).names).toEqual(["Annika"]);
  expect((await search("brown4")).names).toEqual(["Annika"]);
  expect((await search("annika.brow")).names).toEqual(["Annika"]);
  expect((await search("rown")).names).toEqual([]);

  // A rename adds the new words: found by them, and no longer by the old name.
  await customers.updateCustomer({ id: anne!.id, customer: { lastName: "Jonsson" }, updateMask: ["last_name"] });
  expect((await search("ann jon")).names).toEqual(["Anne"]);
  expect((await search("ann smi")).names).toEqual(["Annika"]);

  // A word starting more words than a search expands into still matches them all, as a prefix.
  const surnames = Array.from({ length: 40 }, (_, i) => `Qz${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`);
  for (const lastName of surnames) await customers.createCustomer({ firstName: "Q", lastName });
  expect(await search("qz", 1)).toMatchObject({ total: 40 });
  expect(await search("qza", 1)).toMatchObject({ total: 26 });
  expect(await search("qzbn")).toEqual({ names: ["Q"], total: 1 });
  expect(await search("qzbz")).toEqual({ names: [], total: 0 });
});

test("segments store filters and report live counts", async () => {
  const { customers } = h.workspace();
  await customers.createCustomer({ firstName: "A", country: "DE", source: "form" });
  await customers.createCustomer({ firstName: "B", country: "DE" });
  const { segment } = await customers.createSegment({ name: "Germany", filter: { country: "DE" } });
  expect(segment).toMatchObject({ name: "Germany", customerCount: 2, filter: { country: "DE" } });
  expect(await expectFailure(customers.createSegment({ name: "germany ", filter: {} }))).toMatchObject({ code: "ALREADY_EXISTS" });

  await customers.createCustomer({ firstName: "C", country: "DE" });
  expect((await customers.getSegment({ id: segment!.id })).segment!.customerCount).toBe(3);
  expect((await customers.listCustomers({ segmentId: segment!.id, filter: { source: "form" } })).items.map((c) => c.firstName)).toEqual(["A"]);

  const { segment: narrowed } = await customers.updateSegment({ id: segment!.id, segment: { filter: { country: "DE", source: "form" } }, updateMask: ["filter"] });
  expect(narrowed).toMatchObject({ name: "Germany", customerCount: 1 });
  expect((await customers.listSegments({})).items.map((s) => [s.name, s.customerCount])).toEqual([["Germany", 1]]);
  await customers.deleteSegment({ id: segment!.id });
  expect(await expectFailure(customers.getSegment({ id: segment!.id }))).toMatchObject({ code: "NOT_FOUND" });
  expect(await expectFailure(customers.listCustomers({ segmentId: segment!.id }))).toMatchObject({ code: "NOT_FOUND" });
});

test("list totals follow every write (creates, tag changes, merges, deletes); contact times sort the never-contacted as oldest", async () => {
  const { customers, tags } = h.workspace();
  const vip = (await tags.createTag({ name: "VIP" })).tag!;
  const a = (await customers.createCustomer({ firstName: "A", tagIds: [vip.id], lastContactAt: new Date("2026-01-10T00:00:00Z") })).customer!;
  const b = (await customers.createCustomer({ firstName: "B", lastContactAt: new Date("2026-03-10T00:00:00Z") })).customer!;
  const c = (await customers.createCustomer({ firstName: "C", tagIds: [vip.id] })).customer!;
  // limit 1: a full page, so the total is not the page's length but the counters'.
  const totals = async () => ({
    all: (await customers.listCustomers({ limit: 1 })).pagination!.total,
    vip: (await customers.listCustomers({ limit: 1, filter: { tagIds: [vip.id] } })).pagination!.total,
    counted: (await customers.countCustomers({ filter: { tagIds: [vip.id] } })).count,
  });
  expect(await totals()).toEqual({ all: 3, vip: 2, counted: 2 });
  expect((await customers.listCustomers({ limit: 1 })).pagination).toEqual({ page: 1, limit: 1, total: 3, totalPages: 3 });

  await customers.setCustomerTags({ id: b.id, tagIds: [vip.id] });
  expect(await totals()).toEqual({ all: 3, vip: 3, counted: 3 });
  await customers.setCustomerTags({ id: a.id, tagIds: [] });
  expect(await totals()).toEqual({ all: 3, vip: 2, counted: 2 });
  await customers.mergeCustomers({ id: b.id, sourceIds: [c.id] });
  expect(await totals()).toEqual({ all: 2, vip: 1, counted: 1 });
  await customers.deleteCustomer({ id: b.id });
  expect(await totals()).toEqual({ all: 1, vip: 0, counted: 0 });

  const d = (await customers.createCustomer({ firstName: "D", lastContactAt: new Date("2026-05-10T00:00:00Z") })).customer!;
  await customers.createCustomer({ firstName: "E" });
  const order = async (sortOrder: string) => (await customers.listCustomers({ sortBy: "lastContactAt", sortOrder })).items.map((x) => x.firstName);
  expect(await order("desc")).toEqual(["D", "A", "E"]);
  expect(await order("asc")).toEqual(["E", "A", "D"]);
  expect(d.firstName).toBe("D");
});
