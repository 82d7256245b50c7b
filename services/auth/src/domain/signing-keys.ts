import { createPrivateKey, createPublicKey, type JsonWebKey } from "node:crypto";
import { generateAccessTokenSigningKey, type AccessTokenSigningKey, type Logger } from "@velaflows/kit";
import { calculateJwkThumbprint, type JWK } from "jose";
import type { SigningKeysConfig } from "../config";
import type { AuthStore } from "../persistence/auth-store";
import type { SigningKeyEntity } from "../persistence/signing-key.entity";
import { decryptPrivateKey, encryptPrivateKey } from "./key-encryption";

/** The access-token signing keys: the one that signs now and the public ones to publish. */
export interface SigningKeyRing {
  /** The key that signs now (the newest); rotates first when the newest is older than the rotation period. */
  current(): Promise<AccessTokenSigningKey>;
  /** The public JWKs verifiers need: the signing key and the keys it replaced while their tokens may live. */
  publicKeys(): Promise<JWK[]>;
}

/** What {@link createSigningKeyRing} needs. */
export interface SigningKeyRingOptions {
  config: SigningKeysConfig;
  store: AuthStore;
  logger: Logger;
  /** Access-token lifetime: a replaced key stays published this long (plus a margin for clock skew). */
  accessTokenTtlSeconds: number;
  /** How long keys read from the database are reused before they are read again; 60 s by default. */
  cacheMs?: number;
}

const PUBLISH_MARGIN_MS = 5 * 60_000;

/**
 * Keys come from `AUTH_SIGNING_KEY` when set (the first signs, all are published). Otherwise they
 * are generated once and kept in the service's schema, the private half encrypted with
 * `AUTH_KEY_ENCRYPTION_KEY` when set (in development without it: stored as is, with a warning), so
 * a restart keeps every token valid. A new key is generated when the newest is older than the
 * rotation period; the replaced ones stay published until their tokens have expired. Replicas
 * serialise generation on an advisory lock and re-read the keys every minute.
 */
export function createSigningKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const { config } = options;
  if (config.configured.length > 0) return configuredKeyRing(config.configured);
  if (!config.encryptionKey && config.requireEncryption) {
    throw new Error("Set AUTH_SIGNING_KEY or AUTH_KEY_ENCRYPTION_KEY: signing keys are not stored unencrypted in production");
  }
  return databaseKeyRing(options);
}

function configuredKeyRing(jwks: readonly JWK[]): SigningKeyRing {
  const keys = Promise.all(jwks.map(async (jwk) => signingKeyOf(jwk, jwk.kid ?? (await calculateJwkThumbprint(publicHalf(jwk))))));
  return {
    current: async () => (await keys)[0]!,
    publicKeys: async () => (await keys).map((key) => ({ ...key.publicJwk })),
  };
}

interface LoadedKeys {
  signing: AccessTokenSigningKey;
  published: JWK[];
  loadedAt: number;
}

function databaseKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const { config, store, logger } = options;
  const cacheMs = options.cacheMs ?? 60_000;
  const rotationMs = config.rotationDays * 24 * 3600_000;
  let warned = false;

  const load = async (): Promise<LoadedKeys> => {
    const rows = await store.transaction(async (unit) => {
      await unit.signingKeys.lock();
      let keys = await unit.signingKeys.list();
      const newest = keys[keys.length - 1];
      if (!newest || (rotationMs > 0 && Date.now() - newest.createdAt.getTime() >= rotationMs)) {
        const generated = generateAccessTokenSigningKey();
        const privateJwk = JSON.stringify({ ...(generated.privateKey.export({ format: "jwk" }) as JWK), kid: generated.kid });
        await unit.signingKeys.insert({
          id: generated.kid,
          algorithm: generated.alg,
          publicJwk: generated.publicJwk,
          privateJwk: config.encryptionKey ? encryptPrivateKey(privateJwk, config.encryptionKey, generated.kid) : privateJwk,
          encrypted: config.encryptionKey !== undefined,
          createdAt: new Date(),
        });
        logger.info({ kid: generated.kid, rotated: newest !== undefined }, "generated an access-token signing key");
        keys = await unit.signingKeys.list();
      }
      // Keys stored before an encryption key was configured are encrypted now.
      if (config.encryptionKey) {
        for (const key of keys.filter((k) => !k.encrypted)) {
          await unit.signingKeys.replacePrivate(key.id, encryptPrivateKey(key.privateJwk, config.encryptionKey, key.id), true);
        }
        keys = await unit.signingKeys.list();
      }
      return keys;
    });
    const newest = rows[rows.length - 1]!;
    if (!newest.encrypted && !warned) {
      warned = true;
      logger.warn("AUTH_KEY_ENCRYPTION_KEY is not set: the access-token signing key is stored unencrypted in the database (acceptable in development only)");
    }
    const now = Date.now();
    return {
      signing: signingKeyOf(JSON.parse(privateJwkOf(newest, config.encryptionKey)) as JWK, newest.id),
      published: rows.filter((row, i) => isPublished(rows[i + 1], now, options.accessTokenTtlSeconds)).map((row) => ({ ...row.publicJwk })),
      loadedAt: now,
    };
  };

  let cache: LoadedKeys | undefined;
  let inflight: Promise<LoadedKeys> | undefined;
  const keys = (): Promise<LoadedKeys> => {
    if (cache && Date.now() - cache.loadedAt < cacheMs) return Promise.resolve(cache);
    inflight ??= load()
      .then(
        (loaded) => (cache = loaded),
        (error: unknown) => {
          // Keep signing with the keys already loaded while the database is unreachable.
          if (!cache) throw error;
          logger.warn({ err: error }, "could not reload the signing keys; using the ones loaded before");
          return cache;
        },
      )
      .finally(() => (inflight = undefined));
    return inflight;
  };

  return {
    current: async () => (await keys()).signing,
    publicKeys: async () => (await keys()).published,
  };
}

// A key is published while it signs, and after a newer key replaced it for as long as the tokens
// it signed can still be valid.
function isPublished(successor: SigningKeyEntity | undefined, now: number, accessTokenTtlSeconds: number): boolean {
  return successor === undefined || now - successor.createdAt.getTime() < accessTokenTtlSeconds * 1000 + PUBLISH_MARGIN_MS;
}

function privateJwkOf(row: SigningKeyEntity, encryptionKey: Buffer | undefined): string {
  if (!row.encrypted) return row.privateJwk;
  if (!encryptionKey) throw new Error(`signing key ${row.id} is stored encrypted: set AUTH_KEY_ENCRYPTION_KEY`);
  return decryptPrivateKey(row.privateJwk, encryptionKey, row.id);
}

function signingKeyOf(privateJwk: JWK, kid: string): AccessTokenSigningKey {
  const privateKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: "jwk" });
  const publicJwk = createPublicKey(privateKey).export({ format: "jwk" }) as JWK;
  return { kid, alg: "EdDSA", privateKey, publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" } };
}

function publicHalf(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}
