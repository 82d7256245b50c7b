import {
  credentials,
  Metadata,
  type CallOptions,
  type ChannelOptions,
  type Client,
  type ClientUnaryCall,
  type Interceptor as GrpcClientInterceptor,
  InterceptingCall,
  type ServiceError as GrpcServiceError,
} from "@grpc/grpc-js";
import { serviceErrorFromGrpc } from "../errors/error-status";
import { MetadataKeys } from "../rpc/call-context";
import { currentCallContext } from "../rpc/call-scope";

/** Options of {@link createServiceClient}. */
export interface ServiceClientOptions {
  /** Deadline of calls that set none and run outside an inbound call with a deadline; 5 s by default. */
  defaultDeadlineMs?: number;
  /** Extra grpc-js channel options. */
  channelOptions?: ChannelOptions;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: GrpcServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Per-call settings of a {@link PromiseClient} method. */
export interface CallSettings {
  metadata?: Metadata;
  deadline?: Date;
}

// The promise form of one ts-proto client method. The methods are overloaded, and inference reads
// the last overload (request, metadata, options, callback); never for the Client base methods.
type PromiseMethod<M> = M extends UnaryMethod<infer Req, infer Res> ? (request: Req, settings?: CallSettings) => Promise<Res> : never;

/** A ts-proto grpc-js client with each unary method returning a promise. */
export type PromiseClient<C> = {
  [K in keyof C as [PromiseMethod<C[K]>] extends [never] ? never : K]: PromiseMethod<C[K]>;
};

/**
 * Creates a client for another service from its ts-proto client constructor. Every call gets a
 * deadline (the inbound call's, or `defaultDeadlineMs`), carries the inbound call's request id,
 * workspace, user and permissions, and fails with a kit ServiceError keeping the callee's typed
 * details. `address` may be `host:port` or `dns:///svc.ns.svc:50051` (balanced round-robin).
 */
export function createServiceClient<C extends Client>(
  ClientConstructor: new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: ChannelOptions) => C,
  address: string,
  options: ServiceClientOptions = {},
): { client: C; call: PromiseClient<C>; close(): void } {
  const defaultDeadlineMs = options.defaultDeadlineMs ?? 5_000;
  const client = new ClientConstructor(address, credentials.createInsecure(), {
    "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    interceptors: [propagateContext],
    ...options.channelOptions,
  });
  const call = new Proxy({} as PromiseClient<C>, {
    get(_, name: string) {
      const method = (client as unknown as Record<string, UnaryMethod<unknown, unknown>>)[name];
      if (typeof method !== "function") return undefined;
      return (request: unknown, settings: CallSettings = {}) =>
        new Promise((resolve, reject) => {
          const inbound = currentCallContext()?.deadline;
          const fallback = new Date(Date.now() + defaultDeadlineMs);
          const deadline = settings.deadline ?? (inbound && inbound < fallback ? inbound : fallback);
          method.call(client, request, settings.metadata ?? new Metadata(), { deadline }, (error, response) =>
            error ? reject(serviceErrorFromGrpc(error)) : resolve(response),
          );
        });
    },
  });
  return { client, call, close: () => client.close() };
}

// Copies the inbound call's identity and request id onto outgoing calls that do not set them.
const propagateContext: GrpcClientInterceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      const inbound = currentCallContext();
      if (inbound) {
        const copy = (key: string, value: string | undefined) => {
          if (value && metadata.get(key).length === 0) metadata.set(key, value);
        };
        copy(MetadataKeys.requestId, inbound.requestId);
        copy(MetadataKeys.workspaceId, inbound.workspaceId);
        copy(MetadataKeys.userId, inbound.userId);
        copy(MetadataKeys.apiTokenId, inbound.apiTokenId);
        copy(MetadataKeys.permissions, inbound.permissions.join(","));
      }
      next(metadata, listener);
    },
  });
