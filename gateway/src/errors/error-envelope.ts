import { MISSING_IDS_KEY, ServiceError } from "@velaflows/kit";
import { HttpError } from "./http-error";
import { httpErrorFor } from "./http-status";

/** The spec's error envelope. */
export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

/** An error ready to write: status, extra headers, the envelope, and whether it is the server's fault. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: ErrorEnvelope;
  /** True for 5xx caused by us or a service (logged at error level with the cause). */
  serverFault: boolean;
}

const GENERIC_MESSAGE = "Internal server error";

/**
 * Renders anything thrown while handling a request. Validation violations become
 * `details.errors[{path, message}]`, a missing resource `details.resourceId` (a batch get's every
 * missing id also in `details.missingIds`, from ErrorInfo metadata), a service's 429 with
 * RetryInfo `Retry-After` and `details.retryAfterSeconds`; the message of an
 * internal error is never sent, only the request id that finds it in the logs.
 */
export function renderError(error: unknown, requestId: string): RenderedError {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      headers: error.headers,
      body: { success: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId } },
      serverFault: error.status >= 500,
    };
  }
  const serviceError = ServiceError.from(error);
  const mapping = httpErrorFor(serviceError.code, serviceError.violations.length > 0);
  let details: Record<string, unknown> | undefined;
  if (mapping.code === "VALIDATION_ERROR") details = { errors: serviceError.violations.map((v) => ({ path: v.path, message: v.message })) };
  else if (mapping.status === 404 && serviceError.resource) {
    details = { resourceId: serviceError.resource.id };
    const missingIds = serviceError.metadata[MISSING_IDS_KEY];
    if (missingIds) details.missingIds = missingIds.split(",");
  }
  const headers: Record<string, string> = mapping.status === 401 ? { "www-authenticate": 'Bearer realm="velaflows"' } : {};
  // A service's own throttle (RetryInfo), e.g. failed logins per e-mail address: told like the gateway's limits.
  if (serviceError.retryAfterSeconds !== undefined && mapping.status === 429) {
    headers["retry-after"] = String(serviceError.retryAfterSeconds);
    details = { ...details, retryAfterSeconds: serviceError.retryAfterSeconds };
  }
  const serverFault = mapping.status >= 500;
  const message = mapping.status === 500 ? GENERIC_MESSAGE : serviceError.message;
  return {
    status: mapping.status,
    headers,
    body: { success: false, error: { code: mapping.code, message, ...(details ? { details } : {}), requestId } },
    serverFault,
  };
}
