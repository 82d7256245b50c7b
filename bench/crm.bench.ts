// `npm run bench:crm`: the CRM service at scale. One workspace holds BENCH_CRM_LEADS leads (one
// million by default) across 5 pipelines of 6 stages; measured over gRPC, one request at a time:
// the kanban board of one pipeline, the first page of leads sorted by value, and a stage move.
// Prints p50/p99 per operation and the EXPLAIN (ANALYZE, BUFFERS) plan of each statement behind
// them. Targets (issue 8): board and list p99 under 50 ms, move p99 under 20 ms.
import { Metadata } from "@grpc/grpc-js";
import { Pool } from "pg";
import { main as startCrm } from "@velaflows/crm";
import { createServiceClient, MetadataKeys, type RunningService } from "@velaflows/kit";
import { CrmServiceClient, CreatePipelineRequest, GetBoardRequest, ListLeadsRequest, MoveLeadRequest, type Pipeline } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import { newWorkspaceId, startTestService } from "@velaflows/testing";
import { openDatabase } from "./lib/database";
import { percentile } from "./lib/latency";

const LEADS = Number(process.env.BENCH_CRM_LEADS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_CRM_SAMPLES ?? 200);
const SEED_BATCH = 100_000;

async function run(): Promise<void> {
  const database = await openDatabase(process.env.DATABASE_URL);
  let service: RunningService | undefined;
  const pool = new Pool({ connectionString: database.url, max: 2, application_name: "velaflows-bench-crm" });
  const workspaceId = newWorkspaceId();
  try {
    log(`database: ${database.description}; ${LEADS.toLocaleString("en")} leads, ${SAMPLES} samples per operation`);
    service = await startTestService("crm", startCrm, { DATABASE_URL: database.url, DATABASE_POOL_SIZE: "4", LOG_LEVEL: "silent" });
    const { call, close } = createServiceClient(CrmServiceClient, service.grpcAddress);
    const metadata = new Metadata();
    metadata.set(MetadataKeys.workspaceId, workspaceId);
    const settings = { metadata, deadline: undefined as Date | undefined };

    const pipelines: Pipeline[] = [];
    for (let p = 0; p < 5; p++) {
      const stages = ["New", "Qualified", "Proposal", "Negotiation"].map((name, i) => ({ name, probability: 10 + 20 * i }));
      const request = CreatePipelineRequest.fromPartial({ name: `Pipeline ${p + 1}`, stages: [...stages, { name: "Won", probability: 100, isWon: true }, { name: "Lost", isLost: true }] });
      pipelines.push((await call.createPipeline(request, settings)).pipeline!);
    }
    const stageIds = pipelines.flatMap((p) => p.stages.map((s) => s.id));

    const seedBegan = performance.now();
    for (let from = 0; from < LEADS; from += SEED_BATCH) {
      await pool.query(SEED_SQL, [workspaceId, pipelines.map((p) => p.id), stageIds, from, Math.min(LEADS, from + SEED_BATCH) - 1]);
      log(`  seeded ${Math.min(LEADS, from + SEED_BATCH).toLocaleString("en")}`);
    }
    // The service keeps the stage counters in each write's transaction; the bulk seed fills them once.
    await pool.query(
      `INSERT INTO "crm"."stage_totals" ("workspace_id", "pipeline_id", "stage_id", "currency", "lead_count", "value_sum")
       SELECT "workspace_id", "pipeline_id", "stage_id", "currency", count(*), sum("value") FROM "crm"."leads"
        WHERE "workspace_id" = $1 GROUP BY "workspace_id", "pipeline_id", "stage_id", "currency"`,
      [workspaceId],
    );
    await pool.query(`ANALYZE "crm"."leads"`);
    log(`seeded in ${Math.round(performance.now() - seedBegan)} ms`);

    const board = GetBoardRequest.fromPartial({ pipelineId: pipelines[0]!.id, leadsPerStage: 20 });
    const list = ListLeadsRequest.fromPartial({ sortBy: "value", sortOrder: "desc", limit: 20 });
    const { rows: movable } = await pool.query<{ id: string }>(
      `SELECT "id" FROM "crm"."leads" WHERE "workspace_id" = $1 AND "pipeline_id" = $2 AND "stage_id" = $3 ORDER BY "id" LIMIT $4`,
      [workspaceId, pipelines[0]!.id, pipelines[0]!.stages[0]!.id, SAMPLES],
    );
    const [fromStage, toStage] = [pipelines[0]!.stages[0]!.id, pipelines[0]!.stages[1]!.id];

    // Warm-up, then the measured samples.
    for (let i = 0; i < 10; i++) {
      await call.getBoard(board, settings);
      await call.listLeads(list, settings);
    }
    const results = [
      { name: "GetBoard (6 stages, 20 leads each)", target: 50, ...await time(SAMPLES, () => call.getBoard(board, settings)) },
      { name: "ListLeads sortBy=value desc, first page", target: 50, ...await time(SAMPLES, () => call.listLeads(list, settings)) },
      {
        name: "MoveLead (history row + outbox events)",
        target: 20,
        ...(await time(movable.length, (i) => call.moveLead(MoveLeadRequest.fromPartial({ id: movable[i]!.id, stageId: i % 2 === 0 ? toStage : fromStage }), settings))),
      },
    ];
    close();

    process.stdout.write(`\nCRM at ${LEADS.toLocaleString("en")} leads (${database.description}), ${SAMPLES} sequential samples each\n`);
    for (const r of results) {
      const sorted = Float64Array.from(r.ms).sort();
      const p99 = percentile(sorted, 99);
      process.stdout.write(`  ${r.name.padEnd(44)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms   CPU ${(r.cpuUs / 1000).toFixed(2).padStart(6)} ms/call   target p99 < ${r.target} ms: ${p99 < r.target ? "met" : "MISSED"}\n`);
    }

    const p0 = pipelines[0]!;
    const plans: [string, string, unknown[]][] = [
      ["board: counts and value sums per stage (counters)", STAGE_COUNTERS_SQL, [workspaceId, p0.id]],
      ["board filtered by owner: counts and value sums per stage (aggregation)", STAGE_TOTALS_SQL, [workspaceId, p0.id, "nobody"]],
      ["board: first leads of each stage", BOARD_LEADS_SQL, [workspaceId, p0.id, 21, null]],
      ["list: first page by value", `SELECT * FROM "crm"."leads" l WHERE l."workspace_id" = $1 ORDER BY l."value" DESC, l."id" DESC LIMIT 20`, [workspaceId]],
      ["list: total (counters)", LIST_TOTAL_SQL, [workspaceId, null, null, null]],
      ["list filtered by owner: total (count)", `SELECT COUNT(1) FROM "crm"."leads" l WHERE l."workspace_id" = $1 AND l."owner_id" = $2`, [workspaceId, "nobody"]],
      ["move: lock the lead", `SELECT * FROM "crm"."leads" l WHERE l."workspace_id" = $1 AND l."id" = $2 FOR UPDATE`, [workspaceId, movable[0]!.id]],
    ];
    for (const [title, sql, params] of plans) {
      const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      process.stdout.write(`\nEXPLAIN ${title}\n${rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}\n`);
    }
  } finally {
    for (const table of ["stage_changes", "leads", "stage_totals"]) {
      await pool.query(`DELETE FROM "crm"."${table}" WHERE "workspace_id" = $1`, [workspaceId]).catch(() => undefined);
    }
    await pool.end();
    await service?.stop();
    await database.stop();
  }
}

// Latencies of `count` sequential calls, and this process's CPU time per call (service and
// client share it): the figure a busy machine disturbs least.
async function time(count: number, send: (i: number) => Promise<unknown>): Promise<{ ms: number[]; cpuUs: number }> {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    await send(i);
    ms.push(performance.now() - began);
  }
  const used = process.cpuUsage(cpu);
  return { ms, cpuUs: (used.user + used.system) / count };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// Lead i: pipeline i % 5, stage (i / 5) % 6 of it (stages 4 and 5 won and lost), a value spread
// over 0..999,999 minor units, created i seconds ago.
const SEED_SQL = `
  INSERT INTO "crm"."leads" ("id", "workspace_id", "pipeline_id", "stage_id", "status", "first_name", "value", "currency",
                             "stage_entered_at", "created_at", "updated_at")
  SELECT 'b' || lpad(to_hex(i), 23, '0'), $1, ($2::varchar[])[1 + i % 5], ($3::varchar[])[1 + (i % 5) * 6 + (i / 5) % 6],
         CASE (i / 5) % 6 WHEN 4 THEN 'won' WHEN 5 THEN 'lost' ELSE 'open' END,
         'Lead ' || i, (i::bigint * 7919) % 1000000, 'USD',
         now() - i * interval '1 second', now() - i * interval '1 second', now() - i * interval '1 second'
    FROM generate_series($4::int, $5::int) AS i`;

// The statements LeadRepository sends for the board (stageTotals, boardLeads) and list totals.
const STAGE_COUNTERS_SQL = `SELECT "stage_id", "currency", "lead_count"::text AS "count", "value_sum"::text AS "amount"
  FROM "crm"."stage_totals" WHERE "workspace_id" = $1 AND "pipeline_id" = $2 AND "lead_count" > 0 ORDER BY "stage_id", "currency"`;
const LIST_TOTAL_SQL = `SELECT coalesce(sum(t."lead_count"), 0)::text AS "total" FROM "crm"."stage_totals" t
  JOIN "crm"."stages" s ON s."workspace_id" = t."workspace_id" AND s."id" = t."stage_id"
  WHERE t."workspace_id" = $1 AND ($2::varchar IS NULL OR t."pipeline_id" = $2) AND ($3::varchar IS NULL OR t."stage_id" = $3)
    AND ($4::varchar IS NULL OR (CASE WHEN s."is_won" THEN 'won' WHEN s."is_lost" THEN 'lost' ELSE 'open' END) = $4)`;
const STAGE_TOTALS_SQL = `SELECT "stage_id", "currency", count(*) AS "count", sum("value")::text AS "amount"
  FROM "crm"."leads" WHERE "workspace_id" = $1 AND "pipeline_id" = $2 AND ($3::varchar IS NULL OR "owner_id" = $3)
  GROUP BY "stage_id", "currency" ORDER BY "stage_id", "currency"`;
const BOARD_LEADS_SQL = `SELECT l.* FROM "crm"."leads" l WHERE l."workspace_id" = $1 AND l."id" IN (
  SELECT b."id" FROM "crm"."stages" s CROSS JOIN LATERAL (
    SELECT "id" FROM "crm"."leads"
     WHERE "workspace_id" = s."workspace_id" AND "pipeline_id" = s."pipeline_id" AND "stage_id" = s."id"
       AND ($4::varchar IS NULL OR "owner_id" = $4)
     ORDER BY "created_at" DESC, "id" DESC LIMIT $3) AS b
   WHERE s."workspace_id" = $1 AND s."pipeline_id" = $2)`;

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
