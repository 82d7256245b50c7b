import { runSql } from "@velaflows/kit";
import type { EntityManager } from "typeorm";
import { SigningKeyEntity } from "./signing-key.entity";

/** The signing keys the service generated, oldest first. */
export class SigningKeysRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Serialises key generation across replicas until the transaction ends; only inside one.
   * (Replicas starting together then create one key, not one each.)
   */
  async lock(): Promise<void> {
    await runSql(this.manager, `SELECT pg_advisory_xact_lock(hashtext('velaflows.auth.signing_keys'))`);
  }

  list(): Promise<SigningKeyEntity[]> {
    return this.manager.getRepository(SigningKeyEntity).find({ order: { createdAt: "ASC", id: "ASC" } });
  }

  async insert(key: Partial<SigningKeyEntity>): Promise<void> {
    await this.manager.getRepository(SigningKeyEntity).insert(key);
  }

  async replacePrivate(id: string, privateJwk: string, encrypted: boolean): Promise<void> {
    await this.manager.getRepository(SigningKeyEntity).update({ id }, { privateJwk, encrypted });
  }
}
