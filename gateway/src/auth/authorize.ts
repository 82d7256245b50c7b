import { BadRequestError, ForbiddenError, grants, intersectPermissions, isObjectId, UnauthenticatedError, type MethodPolicy } from "@velaflows/kit";
import type { Membership, MembershipResolver, Principal } from "../pipeline/principal";

/** The header that names the workspace a request acts in. */
export const WORKSPACE_HEADER = "x-workspace-id";

/** What {@link authorize} decides on. */
export interface AuthorizeInput {
  /** The method's policy; only `access` is read: "public", "user", "authenticated" or `<service>:<level>`. */
  policy: Pick<MethodPolicy, "access">;
  /** The authenticated caller; undefined for an anonymous request. */
  principal: Principal | undefined;
  /** The raw `x-workspace-id` header value; undefined when absent. */
  workspaceId: string | undefined;
  resolver: MembershipResolver;
}

/**
 * Who may make the call, for the upstream metadata. For a workspace method every field is set; for
 * a `user` method only `principal` (a user); for a public one only `principal` (when the request
 * had one), and nothing was checked.
 */
export interface AuthorizedAccess {
  principal?: Principal;
  workspaceId?: string;
  membership?: Membership;
  /**
   * What the call may do in the workspace: the membership's permissions, narrowed by the token's
   * scopes for an API token. Services doing finer checks must read these, not `membership`.
   */
  permissions?: readonly string[];
}

/**
 * Applies a method's `access` rule (ARCHITECTURE section 4, step 4), in this order:
 *
 * 1. `public`: nothing is required.
 * 2. No principal: `UnauthenticatedError` (401).
 * 3. `user` (the caller's own account, in no workspace): an API token gets `ForbiddenError` (403),
 *    since it belongs to one workspace and must not reach its creator's account; a user passes with
 *    no membership lookup, and `x-workspace-id` is ignored (never forwarded unchecked).
 * 4. `x-workspace-id` absent or not a 24-hex lower-case id: `BadRequestError` (400). A missing or
 *    malformed header is a malformed request, not a field of the message (which would be 422), and
 *    not an identity problem (401): the credentials may be perfectly valid.
 * 5. An API token bound to another workspace (or to none): `ForbiddenError` (403).
 * 6. The resolver finds no membership: `ForbiddenError` (403) "… not a member of this workspace".
 * 7. For a `<service>:<level>` access: the membership's permissions must grant it, and for an API
 *    token its scopes too (see `grants`): `ForbiddenError` (403) naming the missing permission.
 *    Any other access string is never granted (fail closed).
 */
export async function authorize(input: AuthorizeInput): Promise<AuthorizedAccess> {
  const { policy, principal, workspaceId, resolver } = input;
  if (policy.access === "public") return principal ? { principal } : {};
  if (!principal) throw new UnauthenticatedError();
  if (policy.access === "user") {
    if (principal.kind !== "user") throw new ForbiddenError("API tokens cannot act on a user's account: sign in with an access token");
    return { principal };
  }
  if (workspaceId === undefined || workspaceId === "") {
    throw new BadRequestError(`The ${WORKSPACE_HEADER} header is required`);
  }
  if (!isObjectId(workspaceId)) {
    throw new BadRequestError(`The ${WORKSPACE_HEADER} header must be a 24-character lower-case hex id`);
  }
  const isToken = principal.kind === "api_token";
  if (isToken && principal.workspaceId !== workspaceId) {
    throw new ForbiddenError("This API token does not belong to this workspace");
  }
  const membership = await resolver.resolve(principal, workspaceId);
  if (!membership) throw new ForbiddenError("The caller is not a member of this workspace");
  const permissions = isToken ? intersectPermissions(membership.permissions, principal.scopes ?? []) : membership.permissions;
  if (policy.access !== "authenticated") {
    if (!grants(membership.permissions, policy.access)) {
      throw new ForbiddenError(`Missing permission "${policy.access}"`);
    }
    if (isToken && !grants(principal.scopes ?? [], policy.access)) {
      throw new ForbiddenError(`This API token lacks the "${policy.access}" scope`);
    }
  }
  return { principal, workspaceId, membership, permissions };
}
