import { ValidationError } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { ForecastRowData } from "../persistence/lead.repository";
import { getPipeline } from "./pipelines";

export interface ForecastRow extends ForecastRowData {
  probability: number;
}

export interface ForecastTotal {
  month: string;
  currency: string;
  leadCount: number;
  value: string;
  weightedValue: string;
}

/**
 * The pipeline's open leads by expected close month ("YYYY-MM", undated last), stage (in pipeline
 * order) and currency, with values weighted by stage probability, and per-month totals.
 */
export async function getForecast(
  store: CrmStore,
  workspaceId: string,
  pipelineId: string,
  options: { fromMonth: string; toMonth: string; ownerId?: string },
): Promise<{ rows: ForecastRow[]; totals: ForecastTotal[] }> {
  if (options.fromMonth && options.toMonth && options.fromMonth > options.toMonth) {
    throw new ValidationError([{ path: "toMonth", message: "must not be before fromMonth" }]);
  }
  const { stages } = await getPipeline(store, workspaceId, pipelineId);
  const data = await store.read.leads.forecast(workspaceId, pipelineId, {
    fromDate: options.fromMonth ? `${options.fromMonth}-01` : undefined,
    toDate: options.toMonth ? lastDayOf(options.toMonth) : undefined,
    ownerId: options.ownerId,
  });
  const position = new Map(stages.map((s) => [s.id, s.position]));
  const probability = new Map(stages.map((s) => [s.id, s.probability]));
  const monthKey = (month: string) => month || "9999-99"; // undated last
  const rows = data
    .map((row) => ({ ...row, probability: probability.get(row.stageId) ?? 0 }))
    .sort(
      (a, b) =>
        monthKey(a.month).localeCompare(monthKey(b.month)) ||
        (position.get(a.stageId) ?? 0) - (position.get(b.stageId) ?? 0) ||
        a.currency.localeCompare(b.currency),
    );
  const totals = new Map<string, ForecastTotal>();
  for (const row of rows) {
    const key = `${row.month}|${row.currency}`;
    const total = totals.get(key) ?? { month: row.month, currency: row.currency, leadCount: 0, value: "0", weightedValue: "0" };
    total.leadCount += row.leadCount;
    total.value = String(BigInt(total.value) + BigInt(row.value));
    total.weightedValue = String(BigInt(total.weightedValue) + BigInt(row.weightedValue));
    totals.set(key, total);
  }
  return { rows, totals: [...totals.values()] };
}

function lastDayOf(month: string): string {
  const [year, m] = month.split("-").map(Number);
  return new Date(Date.UTC(year!, m!, 0)).toISOString().slice(0, 10);
}
