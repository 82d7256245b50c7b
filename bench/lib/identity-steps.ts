// The identity steps of the gateway alone, in this process, as the gateway wires them: what
// authentication and authorization cost per request at steady state (caches warm), without the
// rest of the pipeline, the network or the services. The HTTP rounds of bench:auth show the same
// cost inside a whole request, where it is hard to see on a busy machine.
import { authenticateRequest } from "../../gateway/src/auth/authenticate";
import { authorize } from "../../gateway/src/auth/authorize";
import { createDevIdentity } from "../../gateway/src/auth/dev-identity";
import { loadGatewayConfig } from "../../gateway/src/config";
import { identitySources } from "../../gateway/src/pipeline/create-gateway-steps";
import type { Authenticator, MembershipResolver } from "../../gateway/src/pipeline/principal";
import { upstreamMetadata } from "../../gateway/src/pipeline/upstream-metadata";
import { createUpstreamPool } from "../../gateway/src/upstream/upstream-pool";
import { median } from "./latency";

/** One way of establishing identity, with the credential a client sends. */
export interface IdentityVariant {
  name: string;
  authenticators: Authenticator[];
  membership: MembershipResolver;
  authorization: string;
}

/** CPU time per request of the identity steps, median over rounds. */
export interface IdentityStepsResult {
  name: string;
  /** User plus system CPU time per request, in microseconds: each round's, and their median. */
  rounds: number[];
  microsPerRequest: number;
}

/**
 * Builds the variants of bench:auth: "off" (constant answers), "dev JWT" (the development
 * identity, a token it minted), "JWT" and "API token" (the Auth and API Tokens services at the
 * given addresses, the production caches). Close the returned pool when done.
 */
export async function identityVariants(input: {
  authAddress: string;
  apiTokensAddress: string;
  userId: string;
  workspaceId: string;
  accessToken: string;
  apiToken: string;
}): Promise<{ variants: IdentityVariant[]; close(): void }> {
  const env = { AUTH_ADDR: input.authAddress, API_TOKENS_ADDR: input.apiTokensAddress, LOG_LEVEL: "silent" };
  const config = loadGatewayConfig(env);
  const upstreams = createUpstreamPool((name) => config.upstreamAddresses.get(name));
  const production = identitySources(config, undefined, upstreams);
  const devIdentity = createDevIdentity();
  const dev = identitySources(loadGatewayConfig({ LOG_LEVEL: "silent" }), devIdentity, upstreams);
  const devToken = await devIdentity.mintToken({ userId: input.userId, workspaceId: input.workspaceId });
  const variants: IdentityVariant[] = [
    {
      name: "off",
      authenticators: [{ authenticate: async () => ({ kind: "user", id: input.userId }) }],
      membership: { resolve: async () => ({ role: "owner", permissions: ["*"] }) },
      authorization: "Bearer bench-any-credential",
    },
    { name: "dev JWT", ...dev, authorization: `Bearer ${devToken}` },
    { name: "JWT", ...production, authorization: `Bearer ${input.accessToken}` },
    { name: "API token", ...production, authorization: `Bearer ${input.apiToken}` },
  ];
  return { variants, close: () => upstreams.close() };
}

/**
 * Runs authenticate, authorize (`tags:read`) and the upstream metadata of one request `requests`
 * times per round, one request after another, for each variant in turn (the order rotating), after
 * a warm-up that fills the caches. A cache entry that expires during a round is reloaded as in
 * the gateway, and its cost counts.
 */
export async function measureIdentitySteps(
  variants: readonly IdentityVariant[],
  workspaceId: string,
  options: { requests: number; rounds: number; warmup: number },
): Promise<IdentityStepsResult[]> {
  const once = async (variant: IdentityVariant) => {
    const principal = await authenticateRequest(variant.authorization, variant.authenticators);
    const access = await authorize({ policy: { access: "tags:read" }, principal, workspaceId, resolver: variant.membership });
    upstreamMetadata("bench-request", access, { ip: "127.0.0.1", userAgent: "bench" });
  };
  const rounds = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (const variant of variants) for (let i = 0; i < options.warmup; i++) await once(variant);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(k + round) % variants.length]!;
      const before = process.cpuUsage();
      for (let i = 0; i < options.requests; i++) await once(variant);
      const used = process.cpuUsage(before);
      rounds.get(variant.name)!.push((used.user + used.system) / options.requests);
    }
  }
  return variants.map((v) => ({ name: v.name, rounds: rounds.get(v.name)!, microsPerRequest: median(rounds.get(v.name)!) }));
}
