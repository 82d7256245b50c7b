import { trace, context as otelContext } from "@opentelemetry/api";
import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Written as `service` on every line. */
  service: string;
  /** Minimum level; "info" by default, "silent" turns logging off (tests). */
  level?: LevelWithSilent;
  /** Where lines go; stdout by default (tests may capture them). */
  destination?: NodeJS.WritableStream;
}

// Keys whose values must never reach a log line, wherever they appear in a logged object.
const REDACTED_PATHS = [
  "password",
  "token",
  "secret",
  "authorization",
  "*.password",
  "*.token",
  "*.secret",
  "*.authorization",
  'headers["authorization"]',
  'metadata["authorization"]',
];

/**
 * A pino JSON logger that stamps every line with the service and, inside a traced operation, the
 * `trace_id` and `span_id` of the active span so logs and traces join up.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const span = trace.getSpan(otelContext.active());
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
