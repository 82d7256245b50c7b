import { IsNull, MoreThan, Not, type EntityManager } from "typeorm";
import { RefreshTokenEntity } from "./refresh-token.entity";
import { SessionEntity } from "./session.entity";

/** Sessions and their refresh tokens. */
export class SessionsRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(session: Partial<SessionEntity>): Promise<SessionEntity> {
    const created = this.manager.getRepository(SessionEntity).create(session);
    await this.manager.getRepository(SessionEntity).insert(created);
    return created;
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.manager.getRepository(SessionEntity).findOneBy({ id });
  }

  /** The user's sessions that are neither revoked nor expired, most recently used first. */
  listActive(userId: string, now: Date): Promise<SessionEntity[]> {
    return this.manager.getRepository(SessionEntity).find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { lastUsedAt: "DESC", id: "DESC" },
    });
  }

  async touch(id: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
    await this.manager.getRepository(SessionEntity).update({ id }, { lastUsedAt, expiresAt, updatedAt: lastUsedAt });
  }

  /** Revokes one session unless it already is; returns whether it changed. */
  async revoke(id: string, reason: string, now: Date): Promise<boolean> {
    const result = await this.manager
      .getRepository(SessionEntity)
      .update({ id, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason, updatedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every open session of a user (but `exceptId`); returns how many. */
  async revokeAllOfUser(userId: string, reason: string, now: Date, exceptId?: string): Promise<number> {
    const where = exceptId ? { userId, revokedAt: IsNull(), id: Not(exceptId) } : { userId, revokedAt: IsNull() };
    const result = await this.manager.getRepository(SessionEntity).update(where, { revokedAt: now, revokedReason: reason, updatedAt: now });
    return result.affected ?? 0;
  }

  async insertToken(token: Partial<RefreshTokenEntity>): Promise<RefreshTokenEntity> {
    const created = this.manager.getRepository(RefreshTokenEntity).create(token);
    await this.manager.getRepository(RefreshTokenEntity).insert(created);
    return created;
  }

  findToken(id: string): Promise<RefreshTokenEntity | null> {
    return this.manager.getRepository(RefreshTokenEntity).findOneBy({ id });
  }

  /**
   * Marks a refresh token used, only if it was not: of two concurrent refreshes with one token,
   * exactly one gets true (the other is a reuse).
   */
  async markTokenUsed(id: string, now: Date): Promise<boolean> {
    const result = await this.manager.getRepository(RefreshTokenEntity).update({ id, usedAt: IsNull() }, { usedAt: now, updatedAt: now });
    return (result.affected ?? 0) > 0;
  }
}
