import { IsNull, type EntityManager } from "typeorm";
import { OneTimeTokenEntity, type OneTimeTokenPurpose } from "./one-time-token.entity";

/** Password-reset and e-mail-verification tokens. */
export class OneTimeTokensRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(token: Partial<OneTimeTokenEntity>): Promise<OneTimeTokenEntity> {
    const created = this.manager.getRepository(OneTimeTokenEntity).create(token);
    await this.manager.getRepository(OneTimeTokenEntity).insert(created);
    return created;
  }

  findById(id: string): Promise<OneTimeTokenEntity | null> {
    return this.manager.getRepository(OneTimeTokenEntity).findOneBy({ id });
  }

  /** Uses a token up, only if it was unused: true for exactly one of concurrent redemptions. */
  async markUsed(id: string, now: Date): Promise<boolean> {
    const result = await this.manager.getRepository(OneTimeTokenEntity).update({ id, usedAt: IsNull() }, { usedAt: now, updatedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Uses up every open token of a user for `purpose` (a newer token replaces them). */
  async invalidateOpen(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<void> {
    await this.manager.getRepository(OneTimeTokenEntity).update({ userId, purpose, usedAt: IsNull() }, { usedAt: now, updatedAt: now });
  }
}
