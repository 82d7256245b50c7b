import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, type JSONWebKeySet, type JWK } from "jose";

// The access-token format is a contract between its signer (the Auth service; before it exists, the
// gateway's development identity and the test harness) and its verifier (the gateway). It lives here,
// below all of them, so that every party mints and reads the same claims.

/** The claim that lists the caller's workspaces: `{ "<workspaceId>": { role, permissions } }`. */
export const WORKSPACES_CLAIM = "workspaces";

/** One entry of the {@link WORKSPACES_CLAIM}: the caller's role and permissions in that workspace. */
export interface WorkspaceGrant {
  role: string;
  /** Permissions such as "tags:read", "tags:manage", or "*" (everything, the owner role). */
  permissions: readonly string[];
}

/** The value of the {@link WORKSPACES_CLAIM}, keyed by 24-hex workspace id. */
export type WorkspacesClaim = Readonly<Record<string, WorkspaceGrant>>;

/** An access-token signing key: the private half signs, `publicJwk` goes into the JWKS. */
export interface AccessTokenSigningKey {
  /** The key id, sent as the JWS `kid` header and the JWK's `kid`. */
  kid: string;
  alg: "EdDSA";
  privateKey: KeyObject;
  /** The public key as a JWK, with `kid`, `alg` and `use: "sig"`. */
  publicJwk: JWK;
}

/**
 * Generates an Ed25519 signing key in memory. Nothing is written anywhere: restarting the process
 * invalidates every token signed with the previous key.
 *
 * @param kid the key id; a random UUID by default.
 */
export function generateAccessTokenSigningKey(kid: string = randomUUID()): AccessTokenSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicJwk: JWK = { ...(publicKey.export({ format: "jwk" }) as JWK), kid, alg: "EdDSA", use: "sig" };
  return { kid, alg: "EdDSA", privateKey, publicJwk };
}

/** The JSON Web Key Set that publishes the public halves of `keys` (what verifiers are given). */
export function accessTokenJwks(...keys: AccessTokenSigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}

/** What {@link mintAccessToken} puts into a token. */
export interface MintAccessTokenOptions {
  signingKey: AccessTokenSigningKey;
  /** The `iss` claim. */
  issuer: string;
  /** The `aud` claim; omitted when undefined. */
  audience?: string;
  /** The `sub` claim: the user id. */
  subject: string;
  /** The {@link WORKSPACES_CLAIM}; omitted when undefined. */
  workspaces?: WorkspacesClaim;
  /** Lifetime from `now`; 900 (15 minutes) by default. Access tokens are meant to be short-lived. */
  ttlSeconds?: number;
  /** The issue time (`iat` and `nbf`); the current time by default. Tests pass past or future times. */
  now?: Date;
  /** Further claims. They cannot override the registered claims set from the options above. */
  extraClaims?: Readonly<Record<string, unknown>>;
}

/** Signs an access token: a compact EdDSA JWS with `iss`, `sub`, `iat`, `nbf`, `exp`, and optionally `aud` and `workspaces`. */
export async function mintAccessToken(options: MintAccessTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = { ...options.extraClaims };
  if (options.workspaces !== undefined) payload[WORKSPACES_CLAIM] = options.workspaces;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: options.signingKey.alg, kid: options.signingKey.kid, typ: "JWT" })
    .setIssuer(options.issuer)
    .setSubject(options.subject)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 900));
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(options.signingKey.privateKey);
}
