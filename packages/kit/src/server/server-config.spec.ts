import type { ServiceManifest } from "../config/service-manifest";
import { loadServerConfig } from "./server-config";

const manifest: ServiceManifest = {
  name: "tag-rules",
  grpcServices: ["velaflows.tagrules.v1.TagRulesService"],
  basePath: "/tag-rules",
  databaseSchema: "tag_rules",
  ports: { grpc: 50070, http: 9470 },
  dependsOn: [],
  events: { publishes: [], consumes: [] },
};

describe("loadServerConfig", () => {
  test("fills defaults and takes ports from the manifest", () => {
    expect(loadServerConfig({ DATABASE_URL: "postgres://db/velaflows" }, manifest)).toEqual({
      host: "0.0.0.0",
      grpcPort: 50070,
      httpPort: 9470,
      databaseUrl: "postgres://db/velaflows",
      databasePoolSize: 10,
      logLevel: "info",
      shutdownDrainMs: 0,
      shutdownTimeoutMs: 10_000,
      maxCallMs: 30_000,
    });
  });

  test("reads overrides, with port variables prefixed by the service name", () => {
    const config = loadServerConfig(
      {
        DATABASE_URL: "postgres://db/velaflows",
        HOST: "127.0.0.1",
        TAG_RULES_GRPC_PORT: "0",
        TAG_RULES_HTTP_PORT: "0",
        DATABASE_POOL_SIZE: "4",
        LOG_LEVEL: "silent",
        SHUTDOWN_DRAIN_MS: "250",
        SHUTDOWN_TIMEOUT_MS: "1000",
        MAX_CALL_MS: "500",
      },
      manifest,
    );
    expect(config).toEqual({
      host: "127.0.0.1",
      grpcPort: 0,
      httpPort: 0,
      databaseUrl: "postgres://db/velaflows",
      databasePoolSize: 4,
      logLevel: "silent",
      shutdownDrainMs: 250,
      shutdownTimeoutMs: 1000,
      maxCallMs: 500,
    });
  });

  test.each([
    ["no DATABASE_URL", {}, "Environment variable DATABASE_URL is required"],
    ["a bad port", { DATABASE_URL: "postgres://db", TAG_RULES_GRPC_PORT: "grpc" }, "TAG_RULES_GRPC_PORT must be an integer"],
    ["an unknown log level", { DATABASE_URL: "postgres://db", LOG_LEVEL: "verbose" }, "LOG_LEVEL must be one of"],
  ])("fails fast on %s", (_, env, message) => {
    expect(() => loadServerConfig(env, manifest)).toThrow(message);
  });
});
