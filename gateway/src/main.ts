import { createLogger, protoRegistry, runMain } from "@velaflows/kit";
import { createDevIdentity, type DevIdentity } from "./auth/dev-identity";
import { loadGatewayConfig } from "./config";
import { createConnectEdge } from "./connect/connect-edge";
import { startH2cServer } from "./connect/h2c-server";
import { createDocsHandler } from "./openapi/docs-page";
import { buildOpenApiDocument } from "./openapi/build-openapi-document";
import { createGatewayMetrics } from "./observability/gateway-metrics";
import { createApiHandler } from "./pipeline/api-handler";
import { createGatewaySteps, type GatewayStepsDeps } from "./pipeline/create-gateway-steps";
import { buildRoutes } from "./routing/route-table";
import { createRouteMatcher } from "./routing/route-matcher";
import { startGatewayServer } from "./server/gateway-server";
import { createUpstreamPool } from "./upstream/upstream-pool";

/** A running gateway: what the launcher and tests need of it. */
export interface RunningGateway {
  /** "http://127.0.0.1:4000" */
  url: string;
  port: number;
  /** The HTTP/2 cleartext port: gRPC (and Connect) clients; Connect and gRPC-Web over HTTP/1.1 use `port`. */
  grpcPort: number;
  /** The development identity when enabled: mint tokens for a workspace. */
  devIdentity?: DevIdentity;
  stop(): Promise<void>;
}

/**
 * Wires and starts the gateway: the route table from the descriptor set (failing on any invalid
 * binding), the upstream channels, the request steps, and the HTTP server. `overrides` replace the
 * identity steps (tests, and the identity services once they exist).
 */
export async function main(env: NodeJS.ProcessEnv = process.env, overrides: Pick<GatewayStepsDeps, "authenticators" | "membership"> = {}): Promise<RunningGateway> {
  const config = loadGatewayConfig(env);
  const logger = createLogger({ service: "gateway", level: config.logLevel });
  const metrics = createGatewayMetrics();
  const registry = protoRegistry();
  const routes = buildRoutes(registry);
  const upstreams = createUpstreamPool((upstream) => config.upstreamAddresses.get(upstream));
  const devIdentity = config.devIdentity ? createDevIdentity() : undefined;
  if (devIdentity) logger.warn("development identity is on: tokens are signed with an in-memory key; never use this in production");
  const { steps, ready: stepsReady, close: closeSteps } = createGatewaySteps({ config, metrics, logger, devIdentity, upstreams, ...overrides });
  // Start answering once Redis is connected, so the first requests already share the replicas'
  // budgets; if it does not come up, the stores fall back per replica and say so in the log.
  await stepsReady().catch((error: unknown) => logger.warn({ err: error }, "Redis is not reachable yet; rate limits apply per replica until it is"));
  const connect = createConnectEdge({
    registry,
    steps,
    upstreams,
    metrics,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    maxUpstreamTimeoutMs: config.maxUpstreamTimeoutMs,
    trustProxy: config.trustProxy,
    cors: { origins: config.corsOrigins },
  });
  let openApi: string | undefined;
  const server = await startGatewayServer({
    host: config.host,
    port: config.port,
    api: createApiHandler({
      registry,
      match: createRouteMatcher(routes),
      steps,
      upstreams,
      metrics,
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      maxUpstreamTimeoutMs: config.maxUpstreamTimeoutMs,
      trustProxy: config.trustProxy,
    }),
    openApiJson: () =>
      (openApi ??= JSON.stringify(buildOpenApiDocument(routes, { title: "VelaFlows API", version: "1.0.0", serverUrl: "/" }))),
    extra: [createDocsHandler({ specUrl: "/api/v1/openapi.json", basePath: "/docs" }), connect.http1],
    metricsRegistry: metrics.registry,
    // One service down must not take the whole gateway out of rotation (its routes answer 503);
    // the gateway is unready only when every service it has talked to is unreachable.
    isReady: () => {
      const failing = upstreams.failing();
      const all = failing.length > 0 && failing.length === upstreams.connected().length;
      return { ready: !all, reasons: failing.map((name) => `${name} unreachable`) };
    },
    cors: { origins: config.corsOrigins },
  });
  const grpcServer = await startH2cServer({ host: config.host, port: config.grpcPort, handler: connect.http2 }).catch(async (error: unknown) => {
    await server.close();
    upstreams.close();
    await closeSteps();
    throw error;
  });
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  logger.info(
    { port: server.port, grpcPort: grpcServer.port, routes: routes.length, procedures: connect.procedures.size, upstreams: Object.fromEntries(config.upstreamAddresses) },
    "gateway serving",
  );
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port,
    grpcPort: grpcServer.port,
    devIdentity,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([server.close(), grpcServer.close()]);
        upstreams.close();
        await closeSteps();
        logger.info("gateway stopped");
        logger.flush();
      })()),
  };
}

if (require.main === module) runMain(() => main());
