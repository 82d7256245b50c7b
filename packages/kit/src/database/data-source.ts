import "reflect-metadata";
import { DataSource, MigrationExecutor, type EntitySchema, type MigrationInterface } from "typeorm";
import type { Logger } from "pino";
import { OutboxEventEntity } from "../events/outbox-event.entity";
import { KitOutbox1764300000000 } from "../events/outbox-migration";
import { KitOutboxWriter1764300000002 } from "../events/outbox-writer-migration";
import { KitProcessedEvents1764300000001 } from "../events/processed-events-migration";

/** What {@link createDataSource} needs. */
export interface DataSourceOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The schema the service owns; every table and the migrations table live in it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: (Function | EntitySchema)[];
  migrations: (new () => MigrationInterface)[];
  /** Connections in the pool; 10 by default. */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A typeorm DataSource on PostgreSQL for one service's schema, with the kit's outbox entity and
 * migrations (outbox, consumer dedupe) added. Never `synchronize`: the schema changes only through committed migrations.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    schema: options.schema,
    entities: [...options.entities, OutboxEventEntity],
    migrations: [KitOutbox1764300000000, KitProcessedEvents1764300000001, KitOutboxWriter1764300000002, ...options.migrations],
    migrationsTableName: "migrations",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    extra: { max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 },
  });
}

/**
 * Creates the schema if needed and runs pending migrations, all in one transaction under a
 * transaction-scoped advisory lock keyed by the schema, so replicas starting together migrate
 * once and the others wait, then find nothing to do. Returns the names of the migrations run.
 */
export async function runMigrations(dataSource: DataSource, logger?: Logger): Promise<string[]> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error("The data source has no schema");
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.startTransaction();
    await queryRunner.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`velaflows.migrations.${schema}`]);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const executor = new MigrationExecutor(dataSource, queryRunner);
    executor.transaction = "none"; // the transaction above holds the lock and makes all-or-nothing
    const executed = await executor.executePendingMigrations();
    await queryRunner.commitTransaction();
    const names = executed.map((m) => m.name);
    if (names.length > 0) logger?.info({ schema, migrations: names }, "migrations applied");
    return names;
  } catch (error) {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
    throw error;
  } finally {
    await queryRunner.release();
  }
}
