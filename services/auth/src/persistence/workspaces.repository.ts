import { IsNull, type EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { runSql } from "@velaflows/kit";
import { WorkspaceRecordEntity } from "./workspace-record.entity";

/** A workspace a user belongs to, with the user's role there. */
export interface UserWorkspaceRow {
  workspace: WorkspaceRecordEntity;
  roleId: string;
  roleName: string;
  roleSystemKey: string | null;
  joinedAt: Date;
}

/** Workspaces (the tenants themselves). Deleted workspaces are invisible here. */
export class WorkspacesRepository {
  constructor(private readonly manager: EntityManager) {}

  findById(id: string): Promise<WorkspaceRecordEntity | null> {
    return this.manager.getRepository(WorkspaceRecordEntity).findOneBy({ id, deletedAt: IsNull() });
  }

  /**
   * Reads and row-locks a workspace until the transaction ends; only inside one. Every change to
   * ownership, members or roles takes this lock first, so concurrent changes cannot together
   * break "exactly one owner" or "a role in use is not deleted".
   */
  async lock(id: string): Promise<WorkspaceRecordEntity | null> {
    const { rows } = await runSql<{ id: string }>(
      this.manager,
      `SELECT "id" FROM "auth"."workspaces" WHERE "id" = $1 AND "deleted_at" IS NULL FOR UPDATE`,
      [id],
    );
    return rows.length === 0 ? null : this.findById(id);
  }

  async insert(workspace: Partial<WorkspaceRecordEntity>): Promise<WorkspaceRecordEntity> {
    const created = this.manager.getRepository(WorkspaceRecordEntity).create({ deletedAt: null, ...workspace });
    await this.manager.getRepository(WorkspaceRecordEntity).insert(created);
    return created;
  }

  async update(id: string, patch: QueryDeepPartialEntity<WorkspaceRecordEntity>): Promise<void> {
    await this.manager.getRepository(WorkspaceRecordEntity).update({ id }, { ...patch, updatedAt: new Date() });
  }

  /** The live workspaces `userId` is a member of, in the order they joined. */
  async listForUser(userId: string): Promise<UserWorkspaceRow[]> {
    const { rows } = await runSql<{
      id: string;
      name: string;
      owner_id: string;
      created_at: Date;
      updated_at: Date;
      role_id: string;
      role_name: string;
      system_key: string | null;
      joined_at: Date;
    }>(
      this.manager,
      `SELECT w."id", w."name", w."owner_id", w."created_at", w."updated_at",
              r."id" AS "role_id", r."name" AS "role_name", r."system_key", m."created_at" AS "joined_at"
         FROM "auth"."members" m
         JOIN "auth"."workspaces" w ON w."id" = m."workspace_id" AND w."deleted_at" IS NULL
         JOIN "auth"."roles" r ON r."id" = m."role_id" AND r."workspace_id" = m."workspace_id"
        WHERE m."user_id" = $1
        ORDER BY m."created_at", m."id"`,
      [userId],
    );
    return rows.map((row) => ({
      workspace: Object.assign(new WorkspaceRecordEntity(), {
        id: row.id,
        name: row.name,
        ownerId: row.owner_id,
        deletedAt: null,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }),
      roleId: row.role_id,
      roleName: row.role_name,
      roleSystemKey: row.system_key,
      joinedAt: row.joined_at,
    }));
  }
}
