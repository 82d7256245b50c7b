import { ValidationError } from "../../errors/service-error";
import { validateMessage } from "../../validation/validate-message";
import type { Interceptor } from "../interceptor";

/**
 * Checks the request against the field rules of its proto before the handler runs, so handlers
 * only enforce what needs data (uniqueness, existence). The gateway runs the same check first.
 */
export const validationInterceptor: Interceptor = (next) => async (call) => {
  const violations = validateMessage(call.desc.input, call.request);
  if (violations.length > 0) throw new ValidationError(violations);
  return next(call);
};
