/**
 * Typed readers over an environment map, for each service's `config.ts` (the only place that reads
 * the environment). Every reader throws a message naming the variable, so a misconfigured pod fails
 * at start-up instead of on its first request.
 */
export interface EnvReader {
  string(name: string, fallback?: string): string;
  optionalString(name: string): string | undefined;
  int(name: string, fallback?: number): number;
  bool(name: string, fallback?: boolean): boolean;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T;
}

export function createEnvReader(env: NodeJS.ProcessEnv): EnvReader {
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const missing = (name: string): never => {
    throw new Error(`Environment variable ${name} is required`);
  };
  return {
    string: (name, fallback) => raw(name) ?? fallback ?? missing(name),
    optionalString: (name) => raw(name),
    int(name, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback ?? missing(name);
      if (!/^-?\d+$/.test(value)) throw new Error(`Environment variable ${name} must be an integer, got "${value}"`);
      return Number(value);
    },
    bool(name, fallback) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback ?? missing(name);
      if (["1", "true", "yes"].includes(value)) return true;
      if (["0", "false", "no"].includes(value)) return false;
      throw new Error(`Environment variable ${name} must be true or false, got "${value}"`);
    },
    oneOf(name, allowed, fallback) {
      const value = raw(name) ?? fallback ?? missing(name);
      if (!allowed.includes(value as never)) throw new Error(`Environment variable ${name} must be one of ${allowed.join(", ")}, got "${value}"`);
      return value as (typeof allowed)[number];
    },
  };
}
