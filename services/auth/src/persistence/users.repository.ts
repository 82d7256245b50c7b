import { In, type EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { UserEntity } from "./user.entity";

/** Accounts. Not tenant-owned: a user may belong to many workspaces. */
export class UsersRepository {
  constructor(private readonly manager: EntityManager) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.manager.getRepository(UserEntity).findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.manager.getRepository(UserEntity).findBy({ id: In([...new Set(ids)]) });
  }

  /** `email` must already be normalised. */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.manager.getRepository(UserEntity).findOneBy({ email });
  }

  async insert(user: Partial<UserEntity>): Promise<UserEntity> {
    const created = this.manager.getRepository(UserEntity).create(user);
    await this.manager.getRepository(UserEntity).insert(created);
    return created;
  }

  async update(id: string, patch: QueryDeepPartialEntity<UserEntity>): Promise<void> {
    await this.manager.getRepository(UserEntity).update({ id }, { ...patch, updatedAt: new Date() });
  }
}
