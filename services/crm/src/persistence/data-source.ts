import { createDataSource, ImportErrorEntity } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { ActivityEntity, LeadEntity, PipelineEntity, StageChangeEntity, StageEntity, TaskEntity } from "./entities";
import { CreateCrm1764400000100 } from "./migrations/1764400000100-create-crm";
import { CreateTasksActivities1764400000200 } from "./migrations/1764400000200-create-tasks-activities";
import { LeadExportJobEntity, LeadImportJobEntity } from "./lead-jobs.entity";
import { CreateStageTotals1764400000300 } from "./migrations/1764400000300-create-stage-totals";
import { CreateLeadJobs1764400000400 } from "./migrations/1764400000400-create-lead-jobs";
import { IndexLeadContacts1764400000500 } from "./migrations/1764400000500-index-lead-contacts";

/** The CRM data source on its own schema, with every migration in order. */
export function createCrmDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-crm",
    entities: [PipelineEntity, StageEntity, LeadEntity, StageChangeEntity, TaskEntity, ActivityEntity, LeadImportJobEntity, ImportErrorEntity, LeadExportJobEntity],
    migrations: [CreateCrm1764400000100, CreateTasksActivities1764400000200, CreateStageTotals1764400000300, CreateLeadJobs1764400000400, IndexLeadContacts1764400000500],
  });
}
