import type { JSONWebKeySet, JWK } from "jose";
import { MetadataKeys } from "@velaflows/kit";
import {
  GetJwksRequestSchema,
  GetJwksResponseSchema,
  ResolveMembershipRequestSchema,
  ResolveMembershipResponseSchema,
} from "@velaflows/proto/es/velaflows/auth/v1/auth_pb";
import { VerifyApiTokenRequestSchema, VerifyApiTokenResponseSchema } from "@velaflows/proto/es/velaflows/api_tokens/v1/api_tokens_pb";
import type { JwksLoader } from "../auth/jwt-authenticator";
import type { MembershipResolver, Principal } from "../pipeline/principal";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { callService } from "./call-service";

const TIMEOUT_MS = 3_000;

/** The Auth service's token verification keys, fetched over gRPC (GetJwks). */
export function authServiceJwks(upstreams: UpstreamPool): JwksLoader {
  return async () => {
    const response = await callService(upstreams, {
      upstream: "auth",
      path: "/velaflows.auth.v1.AuthInternalService/GetJwks",
      input: GetJwksRequestSchema,
      output: GetJwksResponseSchema,
      request: {},
      timeoutMs: TIMEOUT_MS,
    });
    // Optional members the key type does not use come back empty: leave them out of the JWK.
    const keys = response.keys.map(
      (key) => Object.fromEntries(Object.entries(key).filter(([name, value]) => !name.startsWith("$") && value !== undefined && value !== "")) as unknown as JWK,
    );
    return { keys } satisfies JSONWebKeySet;
  };
}

/**
 * Membership from the Auth service (ResolveMembership): a user's own, or for an API token the
 * membership of the user who created it (the token acts on their behalf, narrowed by its scopes).
 */
export function authServiceMembership(upstreams: UpstreamPool): MembershipResolver {
  return {
    async resolve(principal, workspaceId) {
      const userId = principal.kind === "user" ? principal.id : principal.userId;
      if (!userId) return undefined;
      const answer = await callService(upstreams, {
        upstream: "auth",
        path: "/velaflows.auth.v1.AuthInternalService/ResolveMembership",
        input: ResolveMembershipRequestSchema,
        output: ResolveMembershipResponseSchema,
        request: { userId, workspaceId },
        metadata: { [MetadataKeys.workspaceId]: workspaceId },
        timeoutMs: TIMEOUT_MS,
      });
      return answer.member ? { role: answer.role, permissions: Object.freeze([...answer.permissions]), teamIds: Object.freeze([...answer.teamIds]) } : undefined;
    },
  };
}

/** Verifies `sk_live_`/`sk_test_` tokens with the API Tokens service (VerifyApiToken). */
export function apiTokensVerifier(upstreams: UpstreamPool): (token: string) => Promise<Principal | undefined> {
  return async (token) => {
    const answer = await callService(upstreams, {
      upstream: "api-tokens",
      path: "/velaflows.api_tokens.v1.ApiTokensService/VerifyApiToken",
      input: VerifyApiTokenRequestSchema,
      output: VerifyApiTokenResponseSchema,
      request: { token },
      timeoutMs: TIMEOUT_MS,
    });
    if (!answer.valid) return undefined;
    return { kind: "api_token", id: answer.tokenId, workspaceId: answer.workspaceId, scopes: Object.freeze([...answer.scopes]), userId: answer.createdBy };
  };
}
