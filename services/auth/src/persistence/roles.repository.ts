import type { EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { WorkspaceRepository } from "@velaflows/kit";
import { RoleEntity, type SystemRoleKey } from "./role.entity";

const SYSTEM_ORDER: Record<SystemRoleKey, number> = { owner: 0, admin: 1, agent: 2 };

/** Roles of one workspace at a time. */
export class RolesRepository {
  private readonly base: WorkspaceRepository<RoleEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(RoleEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<RoleEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<RoleEntity[]> {
    return this.base.findByIds(workspaceId, [...new Set(ids)]);
  }

  findSystem(workspaceId: string, key: SystemRoleKey): Promise<RoleEntity | null> {
    return this.base.find(workspaceId, { systemKey: key }, { take: 1 }).then((rows) => rows[0] ?? null);
  }

  /** The system roles (owner, admin, agent), then custom roles by name. */
  async list(workspaceId: string): Promise<RoleEntity[]> {
    const roles = await this.base.find(workspaceId, {}, { order: { nameKey: "ASC" } });
    const rank = (role: RoleEntity) => (role.systemKey ? SYSTEM_ORDER[role.systemKey] : 3);
    return roles.sort((a, b) => rank(a) - rank(b));
  }

  insert(workspaceId: string, role: Partial<RoleEntity>): Promise<RoleEntity> {
    return this.base.insert(workspaceId, role);
  }

  async update(workspaceId: string, id: string, patch: QueryDeepPartialEntity<RoleEntity>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }
}
