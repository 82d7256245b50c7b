import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { CustomerRepository } from "./customer.repository";
import { JobRepository } from "./job.repository";
import { MergeRepository } from "./merge.repository";
import { NoteRepository } from "./note.repository";
import { SegmentRepository } from "./segment.repository";
import { TimelineRepository } from "./timeline.repository";

/** The repositories of one unit of work. */
export interface CustomersUnit {
  customers: CustomerRepository;
  notes: NoteRepository;
  timeline: TimelineRepository;
  merges: MergeRepository;
  segments: SegmentRepository;
  jobs: JobRepository;
  /** Writes events to the outbox; only inside {@link CustomersStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Runs a statement with no parameters and no rows (savepoints). */
  sql(statement: string): Promise<void>;
}

/** The Customers service's data: reads outside a transaction, writes inside one. */
export interface CustomersStore {
  read: Omit<CustomersUnit, "publish" | "sql">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: CustomersUnit) => Promise<T>): Promise<T>;
  /** The repositories on a manager someone else's transaction owns (event consumers). */
  unitOf(manager: EntityManager): CustomersUnit;
}

export function createCustomersStore(dataSource: DataSource): CustomersStore {
  const unitOf = (manager: EntityManager): CustomersUnit => ({
    customers: new CustomerRepository(manager),
    notes: new NoteRepository(manager),
    timeline: new TimelineRepository(manager),
    merges: new MergeRepository(manager),
    segments: new SegmentRepository(manager),
    jobs: new JobRepository(manager),
    publish: (events) => publishEvents(manager, events),
    sql: async (statement) => {
      await manager.query(statement);
    },
  });
  const { publish: _unused, sql: _sql, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
    unitOf,
  };
}
