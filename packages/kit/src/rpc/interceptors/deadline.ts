import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError } from "../../errors/service-error";
import type { Interceptor } from "../interceptor";

/**
 * Enforces the caller's deadline: a call that arrives after it fails at once, and a handler still
 * running when it passes is answered DEADLINE_EXCEEDED (its `signal` is aborted so it can stop).
 * `maxMs` caps calls whose caller set no deadline, so no call runs unbounded.
 */
export function deadlineInterceptor(maxMs: number): Interceptor {
  return (next) => async (call) => {
    const deadlineMs = Math.min(call.context.deadline ? call.context.deadline.getTime() - Date.now() : maxMs, maxMs);
    if (deadlineMs <= 0) throw new ServiceError(GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded before the call started");
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServiceError(GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded")), deadlineMs);
    });
    try {
      return await Promise.race([next(call), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
