import type { EntityManager } from "typeorm";
import { pageOf, resolveListParams, runSql, WorkspaceRepository, type ListParams, type Pagination } from "@velaflows/kit";
import { NoteEntity } from "./note.entity";

/** Notes of one workspace at a time. */
export class NoteRepository {
  private readonly base: WorkspaceRepository<NoteEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(NoteEntity, manager);
  }

  findOne(workspaceId: string, customerId: string, id: string): Promise<NoteEntity | null> {
    return this.base.find(workspaceId, { id, customerId }).then((rows) => rows[0] ?? null);
  }

  insert(workspaceId: string, note: Partial<NoteEntity>): Promise<NoteEntity> {
    return this.base.insert(workspaceId, note);
  }

  async update(workspaceId: string, id: string, patch: Partial<Pick<NoteEntity, "body" | "pinned">>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /** Pinned first, then newest first. */
  async list(workspaceId: string, customerId: string, params: ListParams): Promise<{ items: NoteEntity[]; pagination: Pagination }> {
    const list = resolveListParams(params, { sortable: { createdAt: "n.created_at" }, tieBreaker: "n.id" });
    const [items, total] = await this.base
      .query(workspaceId, "n")
      .andWhere("n.customer_id = :customerId", { customerId })
      .orderBy("n.pinned", "DESC")
      .addOrderBy("n.created_at", "DESC")
      .addOrderBy("n.id", "DESC")
      .offset((list.page - 1) * list.limit)
      .limit(list.limit)
      .getManyAndCount();
    return { items, pagination: pageOf(list, total) };
  }

  /** Re-parents the notes of merged customers; returns how many moved. */
  async moveToCustomer(workspaceId: string, fromIds: readonly string[], toId: string): Promise<number> {
    const { affected } = await runSql(
      this.manager,
      `UPDATE "customers"."notes" SET "customer_id" = $3, "updated_at" = now() WHERE "workspace_id" = $1 AND "customer_id" = ANY($2::varchar[])`,
      [workspaceId, fromIds, toId],
    );
    return affected;
  }
}
