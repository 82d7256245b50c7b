// The processes of `npm run bench:auth` (see bench/README.md), forked by bench/auth.bench.ts:
// - "services": the Auth, API Tokens and Tags services, each through its own main();
// - "gateways": three gateways on the same Tags service, identical but for identity:
//   "off" (constant answers: the credential is not verified and membership is not looked up),
//   "dev" (GATEWAY_DEV_IDENTITY: JWTs from an in-memory key, membership from their claims) and
//   "identity" (wired to the Auth and API Tokens services, as in production).
import { main as startApiTokens } from "@velaflows/api-tokens";
import { main as startAuth } from "@velaflows/auth";
import { main as startGateway } from "@velaflows/gateway";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { serveBenchProcess } from "../lib/bench-process";

// Never refused during a run, yet counted on every request: the rate-limit steps stay in the pipeline.
const UNREACHABLE_RATE_LIMIT = "100000000/15s";

export type AuthBenchStart =
  | { role: "services"; databaseUrl: string; poolSize: number }
  | { role: "gateways"; tagsAddress: string; authAddress: string; apiTokensAddress: string; userId: string; workspaceId: string };

export type AuthBenchStarted =
  | { role: "services"; tags: string; auth: string; apiTokens: string }
  | { role: "gateways"; off: string; dev: string; identity: string; devToken: string };

serveBenchProcess<AuthBenchStart, AuthBenchStarted>(async (server) => {
  if (server.role === "services") {
    const env = { DATABASE_URL: server.databaseUrl, DATABASE_POOL_SIZE: String(server.poolSize), LOG_LEVEL: "silent" };
    // The access token must outlive the run (15 minutes by default).
    const auth = await startTestService("auth", startAuth, { ...env, AUTH_ACCESS_TOKEN_TTL_SECONDS: "86400" });
    const apiTokens = await startTestService("api-tokens", startApiTokens, env);
    const tags = await startTestService("tags", startTags, env);
    return {
      started: { role: "services", tags: tags.grpcAddress, auth: auth.grpcAddress, apiTokens: apiTokens.grpcAddress },
      stop: async () => {
        await Promise.all([tags.stop(), apiTokens.stop(), auth.stop()]);
      },
    };
  }
  const common: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    LOG_LEVEL: "silent",
    TAGS_ADDR: server.tagsAddress,
    RATE_LIMIT_GENERAL: UNREACHABLE_RATE_LIMIT,
    RATE_LIMIT_IP: UNREACHABLE_RATE_LIMIT,
  };
  delete common.AUTH_ADDR;
  delete common.API_TOKENS_ADDR;
  delete common.GATEWAY_DEV_IDENTITY;
  const off = await startGateway(common, {
    // Whatever the bearer credential, the same user, owner of every workspace: no verification, no lookup.
    authenticators: [{ authenticate: async () => ({ kind: "user", id: server.userId }) }],
    membership: { resolve: async () => ({ role: "owner", permissions: ["*"] }) },
  });
  const dev = await startGateway({ ...common, GATEWAY_DEV_IDENTITY: "true" });
  const identity = await startGateway({ ...common, AUTH_ADDR: server.authAddress, API_TOKENS_ADDR: server.apiTokensAddress });
  if (!dev.devIdentity) throw new Error("the dev gateway started without its development identity");
  const devToken = await dev.devIdentity.mintToken({ userId: server.userId, workspaceId: server.workspaceId });
  return {
    started: { role: "gateways", off: off.url, dev: dev.url, identity: identity.url, devToken },
    stop: async () => {
      await Promise.all([off.stop(), dev.stop(), identity.stop()]);
    },
  };
});
