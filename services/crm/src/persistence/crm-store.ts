import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { ActivityRepository } from "./activity.repository";
import { LeadJobRepository } from "./lead-job.repository";
import { LeadRepository } from "./lead.repository";
import { PipelineRepository } from "./pipeline.repository";
import { StageChangeRepository } from "./stage-change.repository";
import { TaskRepository } from "./task.repository";

/** The repositories of one unit of work. */
export interface CrmUnit {
  pipelines: PipelineRepository;
  leads: LeadRepository;
  stageChanges: StageChangeRepository;
  tasks: TaskRepository;
  activities: ActivityRepository;
  /** Leads import and export jobs. */
  jobs: LeadJobRepository;
  /** Writes events to the outbox; only inside {@link CrmStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The CRM service's data: reads outside a transaction, writes inside one. */
export interface CrmStore {
  read: Omit<CrmUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: CrmUnit) => Promise<T>): Promise<T>;
}

export function createCrmStore(dataSource: DataSource): CrmStore {
  const unitOf = (manager: EntityManager): CrmUnit => ({
    pipelines: new PipelineRepository(manager),
    leads: new LeadRepository(manager),
    stageChanges: new StageChangeRepository(manager),
    tasks: new TaskRepository(manager),
    activities: new ActivityRepository(manager),
    jobs: new LeadJobRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
  };
}
