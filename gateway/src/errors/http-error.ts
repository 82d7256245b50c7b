/**
 * An error the gateway answers itself, before or instead of calling a service: routing (404, 405),
 * malformed input (400), limits (413, 415, 429). Rendered by the same writer as upstream errors.
 */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
