import type { MethodPolicy } from "@velaflows/kit";
import type { IdempotencyStore } from "../idempotency/idempotency-store";
import type { RateLimitDecision } from "../rate-limit/rate-limit-store";
import type { Route } from "../routing/route";
import type { Membership, Principal } from "./principal";

/** Who may make a call, once authorization has passed. */
export interface Access {
  principal?: Principal;
  workspaceId?: string;
  membership?: Membership;
  /** What the call may do: the membership's permissions, narrowed by an API token's scopes. */
  permissions?: readonly string[];
}

/**
 * The pluggable steps of the request path, in the order they run. Each throws a kit ServiceError
 * (Unauthenticated, Forbidden, ...) or an HttpError to refuse the request.
 */
export interface GatewaySteps {
  /** Counts the request against the client IP's budget before anything else, so floods of bad credentials are limited too. */
  limitClient(clientIp: string): Promise<RateLimitDecision>;
  /** Establishes the principal from the Authorization header; undefined when there is none. */
  authenticate(authorization: string | undefined): Promise<Principal | undefined>;
  /** Checks the workspace and the method's `access` for the principal. */
  authorize(policy: MethodPolicy, principal: Principal | undefined, workspaceHeader: string | undefined): Promise<Access>;
  /**
   * Counts the call against its rate-limit class, keyed by principal or client IP. Only the
   * route's `policy` is read, so any edge can pass `{ policy: methodPolicy(method) }`.
   */
  limitCall(route: Pick<Route, "policy">, access: Access, clientIp: string): Promise<RateLimitDecision>;
  /** Replays POST responses by Idempotency-Key; absent to turn the feature off. */
  idempotency?: IdempotencyStore;
}
