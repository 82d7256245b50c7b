import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { ServiceError } from "../errors/service-error";
import { toGrpcStatus } from "../errors/error-status";
import { findMethod } from "../protos/proto-registry";
import { methodPolicy } from "../protos/method-options";
import { createCallContext, type CallContext } from "./call-context";
import { runInCallScope } from "./call-scope";
import { applyInterceptors, type Interceptor } from "./interceptor";

/** The shape of a ts-proto `outputServices=grpc-js` service definition (e.g. `TagsServiceService`). */
export type GrpcServiceDefinition = Record<
  string,
  {
    path: string;
    requestStream: boolean;
    responseStream: boolean;
    requestDeserialize(buffer: Buffer): unknown;
    responseSerialize(value: never): Buffer;
  }
>;

/** One async handler per RPC of `D`, keyed like the ts-proto definition (lowerCamel method names). */
export type UnaryHandlers<D extends GrpcServiceDefinition> = {
  [K in keyof D]: (
    request: ReturnType<D[K]["requestDeserialize"]>,
    context: CallContext,
  ) => Promise<Parameters<D[K]["responseSerialize"]>[0]>;
};

/** gRPC's default limit on a received message, which methods without `max_request_bytes` keep. */
const DEFAULT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;

/**
 * The largest message a server of these services must receive: the largest `max_request_bytes`
 * of their methods (an upload), else gRPC's 4 MiB. Framing and the other fields fit in the margin.
 */
export function maxReceiveBytesOf(definitions: readonly GrpcServiceDefinition[]): number {
  const largest = Math.max(0, ...definitions.flatMap((definition) => Object.values(definition).map((spec) => methodPolicy(findMethod(spec.path)).maxRequestBytes)));
  return Math.max(DEFAULT_MAX_RECEIVE_BYTES, largest + 64 * 1024);
}

/** What {@link implementService} needs besides the handlers. */
export interface ImplementServiceOptions {
  logger: Logger;
  /** Outermost first; see {@link applyInterceptors}. */
  interceptors: readonly Interceptor[];
}

/**
 * Turns async handlers into a grpc-js service implementation: each call gets a {@link CallContext},
 * runs through the interceptors, and any error reaches the caller as a gRPC status with typed
 * details (never a stack trace).
 */
export function implementService<D extends GrpcServiceDefinition>(
  definition: D,
  handlers: UnaryHandlers<D>,
  options: ImplementServiceOptions,
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const key of Object.keys(definition)) {
    const spec = definition[key]!;
    if (spec.requestStream || spec.responseStream) throw new Error(`${spec.path}: streaming methods are not supported by the kit yet`);
    const desc = findMethod(spec.path);
    const policy = methodPolicy(desc);
    const handler = handlers[key] as (request: unknown, context: CallContext) => Promise<unknown>;
    const run = applyInterceptors((call) => handler(call.request, call.context), options.interceptors);
    implementation[key] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const abort = new AbortController();
      call.once("cancelled", () => abort.abort(new Error("cancelled by the caller")));
      const deadline = call.getDeadline();
      const context = createCallContext({
        method: spec.path,
        metadata: call.metadata,
        deadline: deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined,
        signal: abort.signal,
        logger: options.logger,
      });
      runInCallScope(context, () => run({ desc, policy, request: call.request, context })).then(
        (response) => callback(null, response),
        (error: unknown) => {
          abort.abort();
          callback(toGrpcStatus(ServiceError.from(error)));
        },
      );
    };
  }
  return implementation;
}
