/** Anything `runMain` can stop: a service, the gateway. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Runs a `main()` as a process: stops what it started gracefully on SIGTERM or SIGINT, and exits 1
 * with the reason when it cannot start.
 */
export function runMain(main: () => Promise<Stoppable | Stoppable[]>): void {
  main().then(
    (started) => {
      const services = Array.isArray(started) ? started : [started];
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`${signal} received, stopping\n`);
        Promise.all(services.map((s) => s.stop())).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    },
    (error: unknown) => {
      process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
