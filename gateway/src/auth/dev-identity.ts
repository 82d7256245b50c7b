import { accessTokenJwks, generateAccessTokenSigningKey, mintAccessToken } from "@velaflows/kit";
import type { JSONWebKeySet } from "jose";

/** Issuer of the tokens minted by {@link createDevIdentity}. */
export const DEV_ISSUER = "urn:velaflows:dev-identity";

/** Audience of the tokens minted by {@link createDevIdentity}. */
export const DEV_AUDIENCE = "velaflows-api";

/** What {@link DevIdentity.mintToken} puts into a token. */
export interface DevTokenOptions {
  userId: string;
  /** The one workspace the user is a member of. */
  workspaceId: string;
  /** The user's permissions there; `["*"]` (owner: everything) by default. */
  permissions?: readonly string[];
  /** The role name; "owner" by default. */
  role?: string;
  /** Lifetime in seconds; 12 hours by default (a development session). */
  ttlSeconds?: number;
}

/** A stand-in for the Auth service's token signing, for `npm start` before that service exists. */
export interface DevIdentity {
  /** The public key set: give it to `createJwtAuthenticator` as `jwks`. */
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Mints an access token whose `workspaces` claim makes `userId` a member of `workspaceId`. */
  mintToken(options: DevTokenOptions): Promise<string>;
}

/**
 * Creates a development identity: an Ed25519 key pair generated in memory (never written to disk,
 * gone when the process exits) and a minter for access tokens in the platform format (the kit's
 * `mintAccessToken`). Pair it with `createClaimsMembershipResolver`, which reads the `workspaces`
 * claim. Never use it in production: whoever holds the identity can mint any token.
 */
export function createDevIdentity(): DevIdentity {
  const signingKey = generateAccessTokenSigningKey();
  return {
    jwks: accessTokenJwks(signingKey),
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    mintToken(options) {
      return mintAccessToken({
        signingKey,
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        subject: options.userId,
        workspaces: {
          [options.workspaceId]: { role: options.role ?? "owner", permissions: [...(options.permissions ?? ["*"])] },
        },
        ttlSeconds: options.ttlSeconds ?? 12 * 60 * 60,
      });
    },
  };
}
