import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadServerConfig, loadServiceManifest, type EnvReader, type EventBusConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";
import type { JWK } from "jose";

/** How passwords are hashed (argon2id; the defaults are OWASP's minimum: 19 MiB, 2 passes, 1 lane). */
export interface PasswordHashConfig {
  /** `AUTH_PASSWORD_HASH_MEMORY_KIB`, 19456 by default. */
  memoryKib: number;
  /** `AUTH_PASSWORD_HASH_TIME_COST`, 2 by default. */
  timeCost: number;
}

/** Where access-token signing keys come from and how long they live. */
export interface SigningKeysConfig {
  /**
   * `AUTH_SIGNING_KEY`: a private Ed25519 JWK, or a JWK Set whose first key signs and whose other
   * keys are only published (to rotate by configuration). When unset, keys are generated once and
   * kept in the database.
   */
  configured: readonly JWK[];
  /** `AUTH_KEY_ENCRYPTION_KEY` (base64, 32 bytes): encrypts private keys kept in the database (AES-256-GCM). */
  encryptionKey?: Buffer;
  /** `AUTH_SIGNING_KEY_ROTATION_DAYS`, 30 by default; 0 never rotates. Only for keys kept in the database. */
  rotationDays: number;
  /** Keys kept in the database must be encrypted (`NODE_ENV=production`). */
  requireEncryption: boolean;
}

/** Everything the Auth service reads from its environment and manifest. */
export interface AuthConfig {
  manifest: ServiceManifest;
  server: ServerConfig;
  /** AMQP_URL: RabbitMQ, else the process\'s in-process bus. */
  events: EventBusConfig;
  /** `AUTH_ISSUER`, "velaflows" by default: the `iss` of access tokens. */
  issuer: string;
  /** `AUTH_AUDIENCE`, "velaflows-api" by default: the `aud` of access tokens. */
  audience: string;
  /** `AUTH_ACCESS_TOKEN_TTL_SECONDS`, 900 (15 minutes) by default. */
  accessTokenTtlSeconds: number;
  /** `AUTH_REFRESH_TOKEN_TTL_DAYS`, 30 by default: a session ends when unused for this long. */
  refreshTokenTtlDays: number;
  /** `AUTH_PASSWORD_RESET_TTL_MINUTES`, 60 by default. */
  passwordResetTtlMinutes: number;
  /** `AUTH_EMAIL_VERIFICATION_TTL_HOURS`, 48 by default. */
  emailVerificationTtlHours: number;
  /** `AUTH_INVITATION_TTL_DAYS`, 7 by default. */
  invitationTtlDays: number;
  /**
   * `AUTH_LOGIN_MAX_FAILURES`, 5 by default: failed logins one e-mail address may have per window;
   * the next attempt is refused (RESOURCE_EXHAUSTED, with RetryInfo) until the window ends.
   */
  loginMaxFailures: number;
  /** `AUTH_LOGIN_FAILURE_WINDOW_SECONDS`, 900 (15 minutes) by default. */
  loginFailureWindowSeconds: number;
  passwordHash: PasswordHashConfig;
  signingKeys: SigningKeysConfig;
}

/** The only reader of the environment in this service. Throws naming the variable on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const manifest = loadServiceManifest(join(__dirname, "..", "service.yaml"));
  const read = createEnvReader(env);
  return Object.freeze({
    manifest,
    server: Object.freeze(loadServerConfig(env, manifest)),
    events: Object.freeze(loadEventBusConfig(env)),
    issuer: read.string("AUTH_ISSUER", "velaflows"),
    audience: read.string("AUTH_AUDIENCE", "velaflows-api"),
    accessTokenTtlSeconds: bounded(read, "AUTH_ACCESS_TOKEN_TTL_SECONDS", 900, 30, 24 * 3600),
    refreshTokenTtlDays: bounded(read, "AUTH_REFRESH_TOKEN_TTL_DAYS", 30, 1, 365),
    passwordResetTtlMinutes: bounded(read, "AUTH_PASSWORD_RESET_TTL_MINUTES", 60, 5, 24 * 60),
    emailVerificationTtlHours: bounded(read, "AUTH_EMAIL_VERIFICATION_TTL_HOURS", 48, 1, 30 * 24),
    invitationTtlDays: bounded(read, "AUTH_INVITATION_TTL_DAYS", 7, 1, 90),
    loginMaxFailures: bounded(read, "AUTH_LOGIN_MAX_FAILURES", 5, 1, 1000),
    loginFailureWindowSeconds: bounded(read, "AUTH_LOGIN_FAILURE_WINDOW_SECONDS", 900, 1, 24 * 3600),
    passwordHash: Object.freeze({
      memoryKib: bounded(read, "AUTH_PASSWORD_HASH_MEMORY_KIB", 19456, 1024, 1024 * 1024),
      timeCost: bounded(read, "AUTH_PASSWORD_HASH_TIME_COST", 2, 1, 10),
    }),
    signingKeys: Object.freeze({
      configured: Object.freeze(parseSigningKeys(read.optionalString("AUTH_SIGNING_KEY"))),
      encryptionKey: parseEncryptionKey(read.optionalString("AUTH_KEY_ENCRYPTION_KEY")),
      rotationDays: bounded(read, "AUTH_SIGNING_KEY_ROTATION_DAYS", 30, 0, 3650),
      requireEncryption: read.optionalString("NODE_ENV") === "production",
    }),
  });
}

function bounded(read: EnvReader, name: string, fallback: number, min: number, max: number): number {
  const value = read.int(name, fallback);
  if (value < min || value > max) throw new Error(`Environment variable ${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

// The value is a secret: error messages name the variable and the problem, never the value.
function parseSigningKeys(raw: string | undefined): JWK[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error("Environment variable AUTH_SIGNING_KEY must be a JSON Web Key or Key Set (JSON)");
  }
  const keys = isObject(parsed) && Array.isArray(parsed.keys) ? (parsed.keys as unknown[]) : [parsed];
  if (keys.length === 0) throw new Error("Environment variable AUTH_SIGNING_KEY holds an empty key set");
  return keys.map((key, index) => {
    if (!isObject(key) || key.kty !== "OKP" || key.crv !== "Ed25519" || typeof key.d !== "string" || typeof key.x !== "string") {
      throw new Error(`Environment variable AUTH_SIGNING_KEY: key ${index} must be a private Ed25519 JWK (kty "OKP", crv "Ed25519", d, x)`);
    }
    return key as unknown as JWK;
  });
}

function parseEncryptionKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined) return undefined;
  const key = Buffer.from(raw, "base64");
  if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== raw.replace(/=+$/, "")) {
    throw new Error("Environment variable AUTH_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
  }
  return key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
