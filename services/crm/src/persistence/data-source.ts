import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { LeadEntity, PipelineEntity, StageChangeEntity, StageEntity } from "./entities";
import { CreateCrm1764400000100 } from "./migrations/1764400000100-create-crm";

/** The CRM data source on its own schema, with every migration in order. */
export function createCrmDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-crm",
    entities: [PipelineEntity, StageEntity, LeadEntity, StageChangeEntity],
    migrations: [CreateCrm1764400000100],
  });
}
