import { expectFailure } from "@velaflows/testing";
import { startPropertiesHarness, type PropertiesHarness } from "./test-harness";

// Every RPC that takes an id answers NOT_FOUND for another workspace's property or group, and
// lists never show another workspace's rows.
let harness: PropertiesHarness;
beforeAll(async () => {
  harness = await startPropertiesHarness();
});
afterAll(() => harness.stop());

test("another workspace's properties and groups are invisible and untouchable", async () => {
  const owner = harness.workspace();
  const intruder = harness.workspace();
  const { group } = await owner.createPropertyGroup({ entityType: "customer", name: "Private" });
  const { property } = await owner.createProperty({ entityType: "customer", key: "secret", label: "Secret", type: "text", groupId: group!.id });
  const id = property!.id;

  for (const call of [
    () => intruder.getProperty({ id }),
    () => intruder.getPropertyByKey({ entityType: "customer", key: "secret" }),
    () => intruder.updateProperty({ id, property: { label: "Mine" }, updateMask: ["label"] }),
    () => intruder.deactivateProperty({ id }),
    () => intruder.reactivateProperty({ id }),
    () => intruder.deleteProperty({ id, confirm: true }),
    () => intruder.getPropertyGroup({ id: group!.id }),
    () => intruder.updatePropertyGroup({ id: group!.id, group: { name: "Mine" }, updateMask: ["name"] }),
    () => intruder.deletePropertyGroup({ id: group!.id }),
  ]) {
    expect(await expectFailure(call())).toMatchObject({ code: "NOT_FOUND" });
  }
  expect((await expectFailure(intruder.reorderProperties({ entityType: "customer", propertyIds: [id] }))).violations).toEqual([
    { path: "propertyIds[0]", message: "is not a property of customer" },
  ]);
  expect((await expectFailure(intruder.reorderPropertyGroups({ entityType: "customer", groupIds: [group!.id] }))).code).toBe("INVALID_ARGUMENT");
  expect((await expectFailure(intruder.createProperty({ entityType: "customer", key: "x", label: "X", type: "text", groupId: group!.id }))).violations).toEqual([
    { path: "groupId", message: "is not a property group of customer" },
  ]);
  expect((await intruder.listProperties({})).items).toEqual([]);
  expect((await intruder.listPropertyGroups({})).items).toEqual([]);
  expect((await intruder.getEntityDefinitions({ entityType: "customer" })).properties).toEqual([]);
  expect((await intruder.listEntityTypes({})).items[0]!.propertyCount).toBe(0);
  // The intruder can use the same key in its own workspace.
  await intruder.createProperty({ entityType: "customer", key: "secret", label: "Secret", type: "text" });

  const { property: unchanged } = await owner.getProperty({ id });
  expect(unchanged).toEqual(property);
  expect((await owner.getPropertyGroup({ id: group!.id })).group!.propertyCount).toBe(1);
});

test("calls without a workspace are refused", async () => {
  const { createServiceClient } = await import("@velaflows/kit");
  const proto = await import("@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties");
  const { call, close } = createServiceClient(proto.CustomPropertiesInternalServiceClient, harness.service.grpcAddress);
  try {
    const failure = await expectFailure(call.validatePropertyValues(proto.ValidatePropertyValuesRequest.fromPartial({ entityType: "customer", values: {} })));
    expect(failure.code).toBe("UNAUTHENTICATED");
  } finally {
    close();
  }
});
