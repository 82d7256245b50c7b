import type { EntityManager } from "typeorm";
import { JobRepository as KitJobRepository } from "@velaflows/kit";
import { ExportJobEntity, ImportJobEntity } from "./jobs.entity";

export type { NewImportError } from "@velaflows/kit";

/** Import and export jobs of one workspace at a time (the kit's job repository on this schema). */
export class JobRepository extends KitJobRepository<ImportJobEntity, ExportJobEntity> {
  constructor(manager: EntityManager) {
    super(manager, "customers", ImportJobEntity, ExportJobEntity);
  }
}
