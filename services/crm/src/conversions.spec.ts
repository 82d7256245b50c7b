import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startCustomers } from "@velaflows/customers";
import { createServiceClient, type RunningService } from "@velaflows/kit";
import * as customersProto from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { main as startTags } from "@velaflows/tags";
import { expectFailure, partialClient, readOutboxEvents, startTestService, workspaceMetadata, type PartialClient } from "@velaflows/testing";
import { main } from "./main";
import { createCrmHarnessOn, HARNESS_START_TIMEOUT_MS, type CrmHarness } from "./test-harness";

// Leads and customers: the real Customers service (with the Tags and Custom Properties services it
// calls), the CRM service pointed at it.
let tags: RunningService;
let properties: RunningService;
let customers: RunningService;
let harness: CrmHarness;
let closeCustomers: () => void;
let customersIn: (workspaceId: string) => PartialClient<customersProto.CustomersServiceClient>;
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  properties = await startTestService("custom-properties", startCustomProperties);
  customers = await startTestService("customers", startCustomers, {
    TAGS_ADDR: tags.grpcAddress,
    CUSTOM_PROPERTIES_ADDR: properties.grpcAddress,
    CUSTOMERS_JOBS_ENABLED: "false",
  });
  const upstreams = { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress };
  harness = await createCrmHarnessOn(await startTestService("crm", main, { CUSTOMERS_ADDR: customers.grpcAddress, ...upstreams }), { tags, properties, customers });
  const client = createServiceClient(customersProto.CustomersServiceClient, customers.grpcAddress);
  closeCustomers = client.close;
  customersIn = (workspaceId) => partialClient(client.call, customersProto.CustomersServiceService, customersProto, workspaceMetadata(workspaceId));
}, HARNESS_START_TIMEOUT_MS);
afterAll(async () => {
  closeCustomers();
  await harness.stop();
  await customers.stop();
  await properties.stop();
  await tags.stop();
});

test("a lead created from a customer copies who they are and links to them", async () => {
  const client = harness.workspace();
  const { customer } = await customersIn(client.workspaceId).createCustomer({
    firstName: "Ana",
    lastName: "Silva",
    emails: [{ address: "ana@example.com" }],
    phones: [{ number: "+351912345678" }],
    company: "Acme",
    country: "PT",
    ownerId: "u-owner",
  });
  const { lead } = await client.createLeadFromCustomer({ customerId: customer!.id, value: "120000", currency: "EUR" });
  expect(lead).toMatchObject({
    firstName: "Ana",
    lastName: "Silva",
    email: "ana@example.com",
    phone: "+351912345678",
    company: "Acme",
    country: "PT",
    ownerId: "u-owner",
    source: "customer",
    value: "120000",
    currency: "EUR",
    customerId: customer!.id,
  });
  expect((await client.listLeads({ customerId: customer!.id })).items.map((l) => l.id)).toEqual([lead!.id]);

  // Another workspace's customer is unknown here.
  const failure = await expectFailure(harness.workspace().createLeadFromCustomer({ customerId: customer!.id }));
  expect(failure.violations).toEqual([{ path: "customerId", message: "no such customer" }]);
});

test("converting a lead creates a customer and links it; converting again changes nothing", async () => {
  const client = harness.workspace();
  const { lead } = await client.createLead({ firstName: "Bruno", lastName: "Costa", email: "bruno@example.com", company: "Beta", country: "BR" });
  const converted = await client.convertLead({ id: lead!.id });
  expect(converted.customerCreated).toBe(true);
  expect(converted.lead!.customerId).toBe(converted.customerId);
  const { customer } = await customersIn(client.workspaceId).getCustomer({ id: converted.customerId });
  expect(customer).toMatchObject({ firstName: "Bruno", lastName: "Costa", primaryEmail: "bruno@example.com", company: "Beta", country: "BR", source: "crm" });
  const events = await readOutboxEvents("crm", "crm.lead.converted", (data) => data.lead?._id === lead!.id);
  expect(events.map((e) => [e.data.customerId, e.data.customerCreated])).toEqual([[converted.customerId, true]]);

  const again = await client.convertLead({ id: lead!.id });
  expect(again).toMatchObject({ customerId: converted.customerId, customerCreated: false });
  expect(await readOutboxEvents("crm", "crm.lead.converted", (data) => data.lead?._id === lead!.id)).toHaveLength(1);
});

test("a lead whose e-mail already belongs to a customer is linked to that customer", async () => {
  const client = harness.workspace();
  const { customer } = await customersIn(client.workspaceId).createCustomer({ firstName: "Carla", emails: [{ address: "carla@example.com" }] });
  const { lead } = await client.createLead({ firstName: "Carla", email: "carla@example.com" });
  const converted = await client.convertLead({ id: lead!.id });
  expect(converted).toMatchObject({ customerId: customer!.id, customerCreated: false });
  expect(converted.lead!.customerId).toBe(customer!.id);
  expect((await customersIn(client.workspaceId).listCustomers({})).pagination!.total).toBe(1);
  expect((await expectFailure(client.convertLead({ id: "6b0a0000000000000000dead" }))).code).toBe("NOT_FOUND");
});
