import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run with EVALSHA, loaded with EVAL when the server does not know it yet. */
export interface RedisScript {
  /** The script's SHA-1, as Redis names it. */
  readonly sha: string;
  run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/**
 * Wraps a Lua script so each call sends only its SHA-1. After a Redis restart (or a failover to a
 * replica that never saw it) the first EVALSHA answers NOSCRIPT and the call falls back to EVAL,
 * which loads the script again. Scripts run atomically: no other command interleaves with them.
 */
export function defineRedisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    sha,
    async run(client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return client.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
