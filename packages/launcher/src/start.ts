// `npm start`: every implemented service in one process. Telemetry must load before grpc and pg.
import "@velaflows/kit/telemetry/register";
import { loadLauncherConfig } from "./config";
import { discoverServices } from "./discover-services";
import { launchPlatform } from "./launch-platform";

async function start(): Promise<void> {
  const began = process.hrtime.bigint();
  const config = loadLauncherConfig(process.env);
  const services = discoverServices(config.servicesDir, config.only);
  const platform = await launchPlatform(config, services, process.env);
  const readyMs = Number(process.hrtime.bigint() - began) / 1e6;

  const database = platform.embedded ? `embedded PostgreSQL (PGlite) at ${redact(platform.databaseUrl)}, data in ${config.dataDir}` : redact(platform.databaseUrl);
  const rows = platform.services.map((s, i) => {
    const m = services[i]!.manifest;
    return `  ${m.name.padEnd(22)} grpc ${s.grpcAddress.padEnd(18)} metrics http://127.0.0.1:${s.httpPort}/metrics   /api/v1${m.basePath}   schema ${m.databaseSchema}`;
  });
  process.stdout.write(
    [
      "",
      `VelaFlows is running: ${platform.services.length} service(s), ready in ${Math.round(readyMs)} ms, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
      `  database               ${database}`,
      ...rows,
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

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

start().catch((error: unknown) => {
  process.stderr.write(`VelaFlows failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
