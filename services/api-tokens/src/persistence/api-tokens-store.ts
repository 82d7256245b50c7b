import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { ApiTokenRepository } from "./api-token.repository";

/** The repositories of one unit of work. */
export interface ApiTokensUnit {
  tokens: ApiTokenRepository;
  /** Writes events to the outbox; only inside {@link ApiTokensStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The API Tokens service's data: reads outside a transaction, writes inside one. */
export interface ApiTokensStore {
  read: Omit<ApiTokensUnit, "publish">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: ApiTokensUnit) => Promise<T>): Promise<T>;
}

export function createApiTokensStore(dataSource: DataSource): ApiTokensStore {
  const unitOf = (manager: EntityManager): ApiTokensUnit => ({
    tokens: new ApiTokenRepository(manager),
    publish: (events) => publishEvents(manager, events),
  });
  const { publish: _unused, ...read } = unitOf(dataSource.manager);
  return {
    read,
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
  };
}
