import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { TagAssignmentRepository } from "./tag-assignment.repository";
import { TagRepository } from "./tag.repository";

/** The repositories of one unit of work. */
export interface TagsUnit {
  tags: TagRepository;
  assignments: TagAssignmentRepository;
  /** Writes events to the outbox; only inside {@link TagsStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The Tags service's data: reads outside a transaction, writes inside one. */
export interface TagsStore {
  read: Omit<TagsUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: TagsUnit) => Promise<T>): Promise<T>;
}

export function createTagsStore(dataSource: DataSource): TagsStore {
  const unitOf = (manager: EntityManager): TagsUnit => ({
    tags: new TagRepository(manager),
    assignments: new TagAssignmentRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
  };
}
