import { hash, verify, type Algorithm } from "@node-rs/argon2";
import type { PasswordHashConfig } from "../config";

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** Hashes and checks passwords with argon2id. */
export interface PasswordHasher {
  /** The PHC string ("$argon2id$v=19$m=19456,t=2,p=1$…") to store. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `stored`. With no stored hash, spends the same time and answers false. */
  verify(password: string, stored: string | undefined): Promise<boolean>;
}

export async function createPasswordHasher(config: PasswordHashConfig): Promise<PasswordHasher> {
  const options = { algorithm: ARGON2ID, memoryCost: config.memoryKib, timeCost: config.timeCost, parallelism: 1 };
  const hashPassword = (password: string) => hash(password, options);
  // Checked against when the account does not exist, so "unknown e-mail" takes as long as
  // "wrong password" and timing does not tell which addresses have accounts.
  const decoy = await hashPassword("decoy password that matches nothing");
  return {
    hash: hashPassword,
    async verify(password, stored) {
      try {
        const matches = await verify(stored ?? decoy, password);
        return stored !== undefined && matches;
      } catch {
        return false; // a malformed stored hash matches nothing
      }
    },
  };
}
