import { HttpError } from "../errors/http-error";

const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 };

/**
 * The deadline of an upstream call: the `Grpc-Timeout` header when present (gRPC's form: up to 8
 * digits and a unit H, M, S, m, u or n), else the default, never beyond the cap. A malformed
 * header is refused with 400.
 */
export function upstreamDeadline(header: string | string[] | undefined, defaultMs: number, maxMs: number, now = Date.now()): Date {
  const value = Array.isArray(header) ? header[0] : header;
  let timeoutMs = defaultMs;
  if (value !== undefined) {
    const match = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
    if (!match) throw new HttpError(400, "BAD_REQUEST", 'Invalid Grpc-Timeout header: expected digits and a unit, e.g. "500m"');
    timeoutMs = Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return new Date(now + Math.min(timeoutMs, maxMs));
}
