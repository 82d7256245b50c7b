import { Gauge, type Registry } from "prom-client";
import type { DataSource } from "typeorm";

/** The counters of a pg Pool (node-postgres) that the gauges read. */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The pg Pool behind a typeorm DataSource (its postgres driver's `master`), once initialised. */
function pgPool(dataSource: DataSource): PgPoolCounts | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as unknown as { master?: Partial<PgPoolCounts> } | undefined)?.master;
  return typeof pool?.totalCount === "number" && typeof pool.idleCount === "number" && typeof pool.waitingCount === "number" ? (pool as PgPoolCounts) : undefined;
}

/**
 * The connection-pool gauges of the OpenTelemetry database conventions, in Prometheus form, on
 * `registry`, read from `dataSource`'s pg Pool at scrape time:
 * `db_client_connection_count{db_client_connection_pool_name, db_client_connection_state="idle"|"used"}`
 * and `db_client_connection_pending_requests{db_client_connection_pool_name}` (callers waiting for
 * a connection). Nothing is reported while the data source is not initialised.
 *
 * `db_client_operation_duration_seconds` is not recorded: typeorm's Logger is told of a query before
 * it runs (no timing), and pg's Pool has no per-query event, so there is no clean hook for it.
 */
export function registerPoolMetrics(registry: Registry, dataSource: DataSource, poolName: string): void {
  if (registry.getSingleMetric("db_client_connection_count")) throw new Error(`registerPoolMetrics: the registry already reports a pool (${poolName})`);
  const registers = [registry];
  new Gauge({
    name: "db_client_connection_count",
    help: "Connections in the PostgreSQL pool, by state (idle, used).",
    labelNames: ["db_client_connection_pool_name", "db_client_connection_state"],
    registers,
    collect() {
      this.reset();
      const pool = pgPool(dataSource);
      if (!pool) return;
      this.set({ db_client_connection_pool_name: poolName, db_client_connection_state: "idle" }, pool.idleCount);
      this.set({ db_client_connection_pool_name: poolName, db_client_connection_state: "used" }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: "db_client_connection_pending_requests",
    help: "Requests waiting for a free connection of the PostgreSQL pool.",
    labelNames: ["db_client_connection_pool_name"],
    registers,
    collect() {
      this.reset();
      const pool = pgPool(dataSource);
      if (!pool) return;
      this.set({ db_client_connection_pool_name: poolName }, pool.waitingCount);
    },
  });
}
