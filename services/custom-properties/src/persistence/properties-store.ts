import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { PropertyGroupRepository } from "./property-group.repository";
import { PropertyRepository } from "./property.repository";

/** The repositories of one unit of work. */
export interface PropertiesUnit {
  properties: PropertyRepository;
  groups: PropertyGroupRepository;
  /** Writes events to the outbox; only inside {@link PropertiesStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The service's data: reads outside a transaction, writes inside one. */
export interface PropertiesStore {
  read: Omit<PropertiesUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: PropertiesUnit) => Promise<T>): Promise<T>;
}

export function createPropertiesStore(dataSource: DataSource): PropertiesStore {
  const unitOf = (manager: EntityManager): PropertiesUnit => ({
    properties: new PropertyRepository(manager),
    groups: new PropertyGroupRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
  };
}
