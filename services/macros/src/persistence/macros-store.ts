import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { MacroRepository } from "./macro.repository";

/** The repositories of one unit of work. */
export interface MacrosUnit {
  macros: MacroRepository;
  /** Writes events to the outbox; only inside {@link MacrosStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The Macros service's data: reads outside a transaction, writes inside one. */
export interface MacrosStore {
  read: Omit<MacrosUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: MacrosUnit) => Promise<T>): Promise<T>;
}

export function createMacrosStore(dataSource: DataSource): MacrosStore {
  const unitOf = (manager: EntityManager): MacrosUnit => ({
    macros: new MacroRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
  };
}
