/** Who is calling, as established from the request's credentials. */
export interface Principal {
  kind: "user" | "api_token";
  /** The user id, or the API token id. */
  id: string;
  /** For API tokens: the permissions the token was granted ("tags:read", ...). */
  scopes?: readonly string[];
  /** For API tokens: the one workspace the token belongs to. */
  workspaceId?: string;
  /** For API tokens: the user who created it (requests act on their behalf). */
  userId?: string;
  /**
   * For users authenticated by a JWT: the token's claims, only after its signature, issuer, audience
   * and lifetime were verified (never decoded-but-unverified claims). The claims membership resolver
   * reads the `workspaces` claim from here.
   */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The principal's standing in one workspace. */
export interface Membership {
  role: string;
  /** Every permission of the role, e.g. ["tags:read", "tags:write"]. */
  permissions: readonly string[];
  /** The workspace's teams the user is in (for what is visible to a team); none when unknown. */
  teamIds?: readonly string[];
}

/**
 * Turns a bearer credential (JWT access token or `sk_live_`/`sk_test_` API token) into a principal.
 * Returns undefined when the credential is not of the kind it handles, and throws
 * `UnauthenticatedError` when it is of its kind but invalid (bad signature, expired, revoked).
 */
export interface Authenticator {
  authenticate(credential: string): Promise<Principal | undefined>;
}

/** Finds the principal's membership in a workspace; undefined when it is not a member. */
export interface MembershipResolver {
  resolve(principal: Principal, workspaceId: string): Promise<Membership | undefined>;
}

/** The key a principal is counted and scoped by: `user:<id>` or `token:<id>`. */
export function principalKey(principal: Principal): string {
  return `${principal.kind === "api_token" ? "token" : "user"}:${principal.id}`;
}
