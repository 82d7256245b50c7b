import {
  accessTokenJwks,
  generateAccessTokenSigningKey,
  mintAccessToken,
  type AccessTokenSigningKey,
  type WorkspacesClaim,
} from "@velaflows/kit";

/** What {@link createTestIdentity} issues tokens as. */
export interface TestIdentityOptions {
  /** The `iss` of minted tokens; "urn:velaflows:test-identity" by default. */
  issuer?: string;
  /** The `aud` of minted tokens; "velaflows-api" by default. */
  audience?: string;
  /** The key id; a random UUID by default. Give two identities one kid to test key confusion. */
  kid?: string;
}

/** What {@link TestIdentity.mintToken} puts into a token. */
export interface TestTokenOptions {
  userId: string;
  /** Shorthand for a one-workspace `workspaces` claim, with `permissions` and `role`. */
  workspaceId?: string;
  /** With `workspaceId`: the permissions there; `["*"]` by default. */
  permissions?: readonly string[];
  /** With `workspaceId`: the role; "owner" by default. */
  role?: string;
  /** The whole `workspaces` claim, for several workspaces; wins over `workspaceId`. */
  workspaces?: WorkspacesClaim;
  /** Lifetime in seconds from `now`; 900 by default. */
  ttlSeconds?: number;
  /** The issue time; the current time by default. Pass a past time for an expired token, a future one for a not-yet-valid token. */
  now?: Date;
  /** Overrides the identity's issuer or audience for this token (to test refusals). */
  issuer?: string;
  audience?: string;
  /** Further claims. */
  extraClaims?: Readonly<Record<string, unknown>>;
}

/** A throwaway token issuer for tests: what the Auth service will be, minus everything but signing. */
export interface TestIdentity {
  issuer: string;
  audience: string;
  /** The public key set to verify its tokens with. */
  jwks: ReturnType<typeof accessTokenJwks>;
  signingKey: AccessTokenSigningKey;
  mintToken(options: TestTokenOptions): Promise<string>;
}

/**
 * Creates a test identity: an in-memory Ed25519 key and a minter of access tokens in the platform
 * format (the kit's `mintAccessToken`, the same code the gateway's development identity uses).
 */
export function createTestIdentity(options: TestIdentityOptions = {}): TestIdentity {
  const issuer = options.issuer ?? "urn:velaflows:test-identity";
  const audience = options.audience ?? "velaflows-api";
  const signingKey = generateAccessTokenSigningKey(options.kid);
  return {
    issuer,
    audience,
    jwks: accessTokenJwks(signingKey),
    signingKey,
    mintToken(token) {
      const workspaces =
        token.workspaces ??
        (token.workspaceId === undefined
          ? undefined
          : { [token.workspaceId]: { role: token.role ?? "owner", permissions: [...(token.permissions ?? ["*"])] } });
      return mintAccessToken({
        signingKey,
        issuer: token.issuer ?? issuer,
        audience: token.audience ?? audience,
        subject: token.userId,
        workspaces,
        ttlSeconds: token.ttlSeconds,
        now: token.now,
        extraClaims: token.extraClaims,
      });
    },
  };
}
