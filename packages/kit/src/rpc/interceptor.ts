import type { DescMethod } from "@bufbuild/protobuf";
import type { MethodPolicy } from "../protos/method-options";
import type { CallContext } from "./call-context";

/** One unary call as the interceptors and the handler see it. */
export interface UnaryCall {
  /** The method's descriptor (input/output types, options). */
  readonly desc: DescMethod;
  readonly policy: MethodPolicy;
  readonly request: unknown;
  readonly context: CallContext;
}

/** Runs a call: the next interceptor, or finally the handler. */
export type UnaryNext = (call: UnaryCall) => Promise<unknown>;

/**
 * A function that wraps the rest of the chain. Interceptors compose like an onion: the first in
 * the list is the outermost layer, it sees the call first and the result (or error) last.
 */
export type Interceptor = (next: UnaryNext) => UnaryNext;

/** Wraps `handler` in `interceptors`, the first of them outermost. */
export function applyInterceptors(handler: UnaryNext, interceptors: readonly Interceptor[]): UnaryNext {
  return interceptors.reduceRight<UnaryNext>((next, interceptor) => interceptor(next), handler);
}
