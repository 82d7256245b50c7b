// `npm start`: every implemented service in one process. Telemetry must load before grpc and pg.
import "@velaflows/kit/telemetry/register";
import { loadLauncherConfig } from "./config";
import { discoverServices } from "./discover-services";
import type { RunningPlatform } from "./launch-platform";
import { DEV_WORKSPACE_ID, gatewayLauncher } from "./gateway-launcher";
import { launchPlatform } from "./launch-platform";

async function start(): Promise<void> {
  const began = process.hrtime.bigint();
  const config = loadLauncherConfig(process.env);
  const services = discoverServices(config.servicesDir, config.only);
  const platform = await launchPlatform(config, services, process.env, config.gateway ? gatewayLauncher({ dataDir: config.dataDir }) : undefined);
  const readyMs = Number(process.hrtime.bigint() - began) / 1e6;

  const database = platform.embedded ? `embedded PostgreSQL (PGlite) at ${redact(platform.databaseUrl)}, data in ${config.dataDir}` : redact(platform.databaseUrl);
  const rows = platform.services.map((s, i) => {
    const m = services[i]!.manifest;
    return `  ${m.name.padEnd(22)} grpc ${s.grpcAddress.padEnd(18)} metrics http://127.0.0.1:${s.httpPort}/metrics   /api/v1${m.basePath}   schema ${m.databaseSchema}`;
  });
  process.stdout.write(
    [
      "",
      `VelaFlows is running: ${platform.services.length} service(s)${platform.gateway ? " and the gateway" : ""}, ready in ${Math.round(readyMs)} ms, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
      `  database               ${database}`,
      ...rows,
      ...gatewayLines(platform.gateway),
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, stopping\n`);
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function gatewayLines(gateway: RunningPlatform["gateway"]): string[] {
  if (!gateway) return [];
  const lines = [`  ${"gateway".padEnd(22)} ${gateway.url}/api/v1   docs ${gateway.url}/docs   openapi ${gateway.url}/api/v1/openapi.json`];
  if (gateway.demo) {
    lines.push(
      `  demo account ${gateway.demo.email} (password in packages/launcher/src/demo-account.ts), workspace ${gateway.demo.workspaceId}:`,
      `    export VELAFLOWS_TOKEN=${gateway.demo.apiToken}`,
      `    curl -H "Authorization: Bearer $VELAFLOWS_TOKEN" -H "x-workspace-id: ${gateway.demo.workspaceId}" ${gateway.url}/api/v1/tags`,
    );
  }
  if (gateway.devToken) {
    lines.push(
      `  development token (workspace ${DEV_WORKSPACE_ID}, all permissions, 7 days):`,
      `    export VELAFLOWS_TOKEN=${gateway.devToken}`,
      `    curl -H "Authorization: Bearer $VELAFLOWS_TOKEN" -H "x-workspace-id: ${DEV_WORKSPACE_ID}" ${gateway.url}/api/v1/tags`,
    );
  }
  return lines;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

start().catch((error: unknown) => {
  process.stderr.write(`VelaFlows failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
