import { expectFailure } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

test("sums open leads' values and probability-weighted values per close month, stage and currency", async () => {
  const client = harness.workspace();
  const { pipeline } = await client.createPipeline({
    name: "Forecast",
    stages: [
      { name: "Early", probability: 10 },
      { name: "Late", probability: 75 },
      { name: "Won", probability: 100, isWon: true },
    ],
  });
  const [early, late, won] = pipeline!.stages;
  const lead = (stageId: string, value: string, expectedCloseDate: string, currency = "USD", ownerId = "u1") =>
    client.createLead({ firstName: "L", stageId, value, expectedCloseDate, currency, ownerId });
  await lead(early!.id, "1000", "2027-01-05");
  await lead(early!.id, "3005", "2027-01-31");
  await lead(late!.id, "2000", "2027-01-15");
  await lead(late!.id, "500", "2027-01-20", "EUR", "u2");
  await lead(late!.id, "4000", "2027-03-01");
  await lead(early!.id, "700", "");
  await lead(won!.id, "99999", "2027-01-10"); // won leads are not forecast

  const all = await client.getForecast({ pipelineId: pipeline!.id });
  expect(all.rows).toEqual([
    { month: "2027-01", stageId: early!.id, probability: 10, currency: "USD", leadCount: 2, value: "4005", weightedValue: "401" },
    { month: "2027-01", stageId: late!.id, probability: 75, currency: "EUR", leadCount: 1, value: "500", weightedValue: "375" },
    { month: "2027-01", stageId: late!.id, probability: 75, currency: "USD", leadCount: 1, value: "2000", weightedValue: "1500" },
    { month: "2027-03", stageId: late!.id, probability: 75, currency: "USD", leadCount: 1, value: "4000", weightedValue: "3000" },
    { month: "", stageId: early!.id, probability: 10, currency: "USD", leadCount: 1, value: "700", weightedValue: "70" },
  ]);
  expect(all.totals).toEqual([
    { month: "2027-01", currency: "USD", leadCount: 3, value: "6005", weightedValue: "1901" },
    { month: "2027-01", currency: "EUR", leadCount: 1, value: "500", weightedValue: "375" },
    { month: "2027-03", currency: "USD", leadCount: 1, value: "4000", weightedValue: "3000" },
    { month: "", currency: "USD", leadCount: 1, value: "700", weightedValue: "70" },
  ]);

  const march = await client.getForecast({ pipelineId: pipeline!.id, fromMonth: "2027-02", toMonth: "2027-03" });
  expect(march.rows.map((r) => [r.month, r.value])).toEqual([["2027-03", "4000"]]);
  const january = await client.getForecast({ pipelineId: pipeline!.id, toMonth: "2027-01", ownerId: "u1" });
  expect(january.totals).toEqual([{ month: "2027-01", currency: "USD", leadCount: 3, value: "6005", weightedValue: "1901" }]);

  expect((await expectFailure(client.getForecast({ pipelineId: pipeline!.id, fromMonth: "2027-04", toMonth: "2027-03" }))).violations[0]!.path).toBe("toMonth");
  expect((await expectFailure(client.getForecast({ pipelineId: pipeline!.id, fromMonth: "2027-13" }))).violations[0]!.path).toBe("fromMonth");
  expect((await expectFailure(harness.workspace().getForecast({ pipelineId: pipeline!.id }))).code).toBe("NOT_FOUND");
});
