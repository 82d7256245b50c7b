// Test fixture for the database specs: a tenant-owned `notes` table, its migration, and data
// sources on a schema of their own, so each spec file owns its tables and drops them afterwards.
import { randomBytes } from "node:crypto";
import { Column, Entity, type DataSource, type MigrationInterface, type QueryRunner } from "typeorm";
import { createDataSource } from "./data-source";
import { WorkspaceEntity } from "./workspace-entity";

@Entity({ name: "notes" })
export class NoteEntity extends WorkspaceEntity {
  @Column("varchar", { length: 200 })
  title: string;

  @Column("text", { default: "" })
  body: string;

  @Column("integer", { default: 0 })
  rank: number;
}

export class CreateNotes1764400000000 implements MigrationInterface {
  name = "CreateNotes1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."notes" (
        "id" varchar(24) NOT NULL,
        "workspace_id" varchar(24) NOT NULL,
        "title" varchar(200) NOT NULL,
        "body" text NOT NULL DEFAULT '',
        "rank" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."notes"`);
  }
}

export class AddNotesIndex1764400000001 implements MigrationInterface {
  name = "AddNotesIndex1764400000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "notes_workspace_rank" ON "${schemaOf(queryRunner)}"."notes" ("workspace_id", "rank", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "${schemaOf(queryRunner)}"."notes_workspace_rank"`);
  }
}

/** A schema name no other test uses. */
export function uniqueSchema(): string {
  return `kit_test_${randomBytes(6).toString("hex")}`;
}

/** A kit data source on `schema` of the test database (DATABASE_URL, set by jest's globalSetup). */
export function createNotesDataSource(
  schema: string,
  migrations: (new () => MigrationInterface)[] = [CreateNotes1764400000000, AddNotesIndex1764400000001],
): DataSource {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the specs through jest, whose globalSetup starts the test database");
  return createDataSource({ url, schema, entities: [NoteEntity], migrations, poolSize: 2, applicationName: "kit-specs" });
}

/** Drops `schema` through `dataSource` (initialising it if needed), then destroys every data source given. */
export async function dropSchema(schema: string, dataSource: DataSource, ...others: DataSource[]): Promise<void> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const ds of [dataSource, ...others]) if (ds.isInitialized) await ds.destroy();
}

function schemaOf(queryRunner: QueryRunner): string {
  return (queryRunner.connection.options as { schema?: string }).schema!;
}
