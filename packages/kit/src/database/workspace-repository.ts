import {
  In,
  type DeepPartial,
  type EntityManager,
  type EntityTarget,
  type FindManyOptions,
  type FindOptionsWhere,
  type Repository,
  type SelectQueryBuilder,
} from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { runSql } from "./sql";
import type { WorkspaceEntity } from "./workspace-entity";

/**
 * A repository whose every method takes the workspace id first and adds it to the query, so no
 * code path can read or change another tenant's rows. A missing workspace id is a programming
 * error and throws before any SQL runs. Bind it to a transaction's manager with {@link withManager}.
 */
export class WorkspaceRepository<T extends WorkspaceEntity> {
  constructor(
    private readonly target: EntityTarget<T>,
    private readonly manager: EntityManager,
  ) {}

  /** The same repository on another manager, e.g. inside `dataSource.transaction(...)`. */
  withManager(manager: EntityManager): WorkspaceRepository<T> {
    return new WorkspaceRepository(this.target, manager);
  }

  findById(workspaceId: string, id: string): Promise<T | null> {
    return this.repo().findOneBy(this.scope(workspaceId, { id } as FindOptionsWhere<T>));
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo().findBy(this.scope(workspaceId, { id: In([...ids]) } as FindOptionsWhere<T>));
  }

  find(workspaceId: string, where: FindOptionsWhere<T> = {}, options: Omit<FindManyOptions<T>, "where"> = {}): Promise<T[]> {
    return this.repo().find({ ...options, where: this.scope(workspaceId, where) });
  }

  count(workspaceId: string, where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repo().countBy(this.scope(workspaceId, where));
  }

  /** A query builder already restricted to the workspace (`<alias>.workspace_id = :workspaceId`). */
  query(workspaceId: string, alias: string): SelectQueryBuilder<T> {
    return this.repo()
      .createQueryBuilder(alias)
      .where(`${alias}.workspace_id = :workspaceId`, { workspaceId: this.checked(workspaceId) });
  }

  /**
   * Entities from a hand-written statement that selects whole rows (`SELECT t.* ...`) of this
   * workspace, `$1` being the workspace id and `params` the rest. The values are converted by the
   * entity's column metadata, as typeorm's own reads do, without its alias machinery: for hot
   * reads a query builder cannot express in one statement. A row of another workspace throws.
   */
  async selectRows(workspaceId: string, text: string, params: unknown[] = []): Promise<T[]> {
    const { rows } = await runSql<Record<string, unknown>>(this.manager, text, [this.checked(workspaceId), ...params]);
    const metadata = this.manager.connection.getMetadata(this.target);
    const { driver } = this.manager.connection;
    return rows.map((row) => {
      if (row.workspace_id !== workspaceId) throw new Error(`Refusing a row of another workspace from: ${text}`);
      const entity = metadata.create() as T;
      for (const column of metadata.columns) {
        if (column.databaseName in row) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
      }
      return entity;
    });
  }

  async insert(workspaceId: string, entity: DeepPartial<T>): Promise<T> {
    const created = this.repo().create({ ...entity, workspaceId: this.checked(workspaceId) } as DeepPartial<T>);
    await this.repo().insert(created as QueryDeepPartialEntity<T>);
    return created;
  }

  /** Updates matching rows of the workspace; returns how many changed. A row never changes workspace. */
  async update(workspaceId: string, where: FindOptionsWhere<T>, patch: QueryDeepPartialEntity<T>): Promise<number> {
    // The workspace id goes last in the patch too (scope() has checked it), so no patch moves a row.
    const result = await this.repo().update(this.scope(workspaceId, where), { ...patch, workspaceId, updatedAt: new Date() } as QueryDeepPartialEntity<T>);
    return result.affected ?? 0;
  }

  /**
   * Updates `locked`, a row this transaction holds locked (`FOR UPDATE`), and returns it as it now
   * is without reading it back: nobody else can have changed it, so the row is `locked` plus the
   * patch and the new `updatedAt`. Saves a round trip on hot write paths.
   */
  async updateLocked(workspaceId: string, locked: T, patch: QueryDeepPartialEntity<T>): Promise<T> {
    const updatedAt = new Date();
    const where = { id: locked.id } as FindOptionsWhere<T>;
    await this.repo().update(this.scope(workspaceId, where), { ...patch, workspaceId, updatedAt } as QueryDeepPartialEntity<T>);
    return Object.assign(this.repo().create(), locked, patch, { updatedAt });
  }

  /** Deletes matching rows of the workspace; returns how many went. */
  async delete(workspaceId: string, where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repo().delete(this.scope(workspaceId, where));
    return result.affected ?? 0;
  }

  private repo(): Repository<T> {
    return this.manager.getRepository(this.target);
  }

  // The workspace id goes last, so a caller's `where` can never widen the scope.
  private scope(workspaceId: string, where: FindOptionsWhere<T>): FindOptionsWhere<T> {
    return { ...where, workspaceId: this.checked(workspaceId) } as FindOptionsWhere<T>;
  }

  private checked(workspaceId: string): string {
    if (typeof workspaceId !== "string" || workspaceId.length === 0) {
      throw new Error("Refusing a query without a workspace id: every tenant-owned query must be scoped");
    }
    return workspaceId;
  }
}
