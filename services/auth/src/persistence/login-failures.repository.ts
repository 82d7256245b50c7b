import type { EntityManager } from "typeorm";

/** The state of one address's window after counting an attempt. */
export interface CountedAttempt {
  /** Attempts in the current window, this one included. */
  attempts: number;
  /** Seconds until the window ends (fractional, at least 0). */
  secondsLeft: number;
}

/**
 * Login attempts per e-mail address (by hash) in fixed windows, in `auth.login_failures`. Every
 * statement is one atomic row operation on the database clock, so replicas share the counts and
 * concurrent attempts are all counted.
 */
export class LoginFailuresRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Counts an attempt: in the address's current window, or in a new one starting now when there
   * is none or it has ended (`windowSeconds` long).
   */
  async countAttempt(emailHash: string, windowSeconds: number): Promise<CountedAttempt> {
    const rows: Array<{ attempts: number; seconds_left: number }> = await this.manager.query(
      `INSERT INTO "auth"."login_failures" AS f ("email_hash", "attempts", "window_started_at", "updated_at")
       VALUES ($1, 1, now(), now())
       ON CONFLICT ("email_hash") DO UPDATE SET
         "attempts" = CASE WHEN f."window_started_at" <= now() - $2::int * interval '1 second' THEN 1 ELSE f."attempts" + 1 END,
         "window_started_at" = CASE WHEN f."window_started_at" <= now() - $2::int * interval '1 second' THEN now() ELSE f."window_started_at" END,
         "updated_at" = now()
       RETURNING "attempts",
         GREATEST(0, EXTRACT(EPOCH FROM "window_started_at" + $2::int * interval '1 second' - now()))::float8 AS "seconds_left"`,
      [emailHash, windowSeconds],
    );
    const row = rows[0]!;
    return { attempts: Number(row.attempts), secondsLeft: Number(row.seconds_left) };
  }

  /** Forgets the address's attempts (it proved it holds the account). */
  async clear(emailHash: string): Promise<void> {
    await this.manager.query(`DELETE FROM "auth"."login_failures" WHERE "email_hash" = $1`, [emailHash]);
  }

  /** Removes the rows whose window has ended: they no longer limit anything. */
  async deleteEnded(windowSeconds: number): Promise<void> {
    await this.manager.query(`DELETE FROM "auth"."login_failures" WHERE "window_started_at" <= now() - $1::int * interval '1 second'`, [windowSeconds]);
  }
}
