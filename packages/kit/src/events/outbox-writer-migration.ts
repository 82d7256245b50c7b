import type { MigrationInterface, QueryRunner } from "typeorm";
import { schemaOf } from "./outbox-migration";

/**
 * Records which process wrote each outbox row (`writer`), so a relay on the in-process bus ships
 * only its own process's events: another process's in-process bus has other subscribers. Rows of
 * older versions have no writer and stay anyone's to ship.
 */
export class KitOutboxWriter1764300000002 implements MigrationInterface {
  name = "KitOutboxWriter1764300000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}"."outbox_events" ADD COLUMN "writer" varchar(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}"."outbox_events" DROP COLUMN "writer"`);
  }
}
