import type { EntityManager } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { MemberEntity } from "./member.entity";
import type { RoleEntity, SystemRoleKey } from "./role.entity";
import { UserEntity } from "./user.entity";

const MEMBER_LIST: ListSpec = {
  sortable: { joinedAt: "m.created_at", name: "u.name", email: "u.email" },
  defaultSortBy: "joinedAt",
  searchable: ["u.name", "u.email"],
  tieBreaker: "m.id",
};

/** Memberships of one workspace at a time. */
export class MembersRepository {
  private readonly base: WorkspaceRepository<MemberEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(MemberEntity, manager);
  }

  findByUser(workspaceId: string, userId: string): Promise<MemberEntity | null> {
    return this.base.find(workspaceId, { userId }, { take: 1 }).then((rows) => rows[0] ?? null);
  }

  findByUsers(workspaceId: string, userIds: readonly string[]): Promise<MemberEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.base.query(workspaceId, "m").andWhere("m.user_id IN (:...userIds)", { userIds: [...new Set(userIds)] }).getMany();
  }

  /**
   * The role of `userId` in a live workspace, in one query (the gateway asks this on every request
   * it has not cached); null when they are not a member or the workspace was deleted.
   */
  async roleOf(workspaceId: string, userId: string): Promise<Pick<RoleEntity, "id" | "systemKey" | "name" | "permissions"> | null> {
    const { rows } = await runSql<{ id: string; system_key: SystemRoleKey | null; name: string; permissions: string[] }>(
      this.manager,
      `SELECT r."id", r."system_key", r."name", r."permissions"
         FROM "auth"."members" m
         JOIN "auth"."workspaces" w ON w."id" = m."workspace_id" AND w."deleted_at" IS NULL
         JOIN "auth"."roles" r ON r."id" = m."role_id" AND r."workspace_id" = m."workspace_id"
        WHERE m."workspace_id" = $1 AND m."user_id" = $2`,
      [workspaceId, userId],
    );
    const row = rows[0];
    return row ? { id: row.id, systemKey: row.system_key, name: row.name, permissions: row.permissions } : null;
  }

  insert(workspaceId: string, member: Partial<MemberEntity>): Promise<MemberEntity> {
    return this.base.insert(workspaceId, member);
  }

  async setRole(workspaceId: string, userId: string, roleId: string): Promise<void> {
    await this.base.update(workspaceId, { userId }, { roleId });
  }

  delete(workspaceId: string, userId: string): Promise<number> {
    return this.base.delete(workspaceId, { userId });
  }

  countByRole(workspaceId: string, roleId: string): Promise<number> {
    return this.base.count(workspaceId, { roleId });
  }

  /** Member counts of every role of the workspace that has members. */
  async countsByRole(workspaceId: string): Promise<Map<string, number>> {
    const rows = await this.base
      .query(workspaceId, "m")
      .select("m.role_id", "role_id")
      .addSelect("count(*)::int", "count")
      .groupBy("m.role_id")
      .getRawMany<{ role_id: string; count: number }>();
    return new Map(rows.map((r) => [r.role_id, Number(r.count)]));
  }

  /** One page of members, searchable and sortable by the user's name and e-mail. */
  list(workspaceId: string, filter: { roleId?: string }, params: ListParams): Promise<{ items: MemberEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "m").innerJoin(UserEntity, "u", "u.id = m.user_id");
    if (filter.roleId) query.andWhere("m.role_id = :roleId", { roleId: filter.roleId });
    return paginate(query, params, MEMBER_LIST);
  }
}
