import { Client, connectivityState, credentials, Metadata, status as GrpcStatus, type ServiceError as GrpcError } from "@grpc/grpc-js";
import { ServiceError, serviceErrorFromGrpc } from "@velaflows/kit";

/** One call to a service, as the gateway makes it: already-encoded request bytes in, bytes out. */
export interface UpstreamCall {
  upstream: string;
  /** "/velaflows.tags.v1.TagsService/ListTags" */
  path: string;
  request: Uint8Array;
  metadata: Metadata;
  deadline: Date;
  /** Aborted when the HTTP client goes away: the gRPC call is cancelled. */
  signal: AbortSignal;
}

/** The gateway's gRPC channels, one per service, created on first use. */
export interface UpstreamPool {
  call(call: UpstreamCall): Promise<Buffer>;
  /** Services whose channel is failing to connect (for /readyz). */
  failing(): string[];
  /** Services a channel has been opened to. */
  connected(): string[];
  close(): void;
}

/**
 * Generic grpc-js clients (no generated code: messages are encoded by the gateway from the
 * descriptors) with round-robin balancing over every address the target resolves to
 * (`dns:///tags.velaflows.svc:50051` against a headless Service). An upstream without an address
 * answers UNAVAILABLE, like one that is down.
 */
export function createUpstreamPool(addressOf: (upstream: string) => string | undefined): UpstreamPool {
  const clients = new Map<string, Client>();
  const clientFor = (upstream: string): Client => {
    let client = clients.get(upstream);
    if (!client) {
      const address = addressOf(upstream);
      if (!address) throw new ServiceError(GrpcStatus.UNAVAILABLE, `The ${upstream} service is not available`);
      client = new Client(address, credentials.createInsecure(), {
        "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
        "grpc.keepalive_time_ms": 60_000,
        "grpc.max_receive_message_length": 16 * 1024 * 1024,
      });
      clients.set(upstream, client);
    }
    return client;
  };
  return {
    call(call) {
      return new Promise<Buffer>((resolve, reject) => {
        let client: Client;
        try {
          client = clientFor(call.upstream);
        } catch (error) {
          reject(error);
          return;
        }
        const grpcCall = client.makeUnaryRequest<Uint8Array, Buffer>(
          call.path,
          (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          (bytes) => bytes,
          call.request,
          call.metadata,
          { deadline: call.deadline },
          (error: GrpcError | null, response?: Buffer) => {
            call.signal.removeEventListener("abort", cancel);
            if (error) reject(upstreamError(call.upstream, error));
            else resolve(response ?? Buffer.alloc(0));
          },
        );
        const cancel = () => grpcCall.cancel();
        call.signal.addEventListener("abort", cancel, { once: true });
      });
    },
    connected: () => [...clients.keys()],
    failing: () =>
      [...clients].filter(([, client]) => client.getChannel().getConnectivityState(false) === connectivityState.TRANSIENT_FAILURE).map(([name]) => name),
    close() {
      for (const client of clients.values()) client.close();
      clients.clear();
    },
  };
}

// A service that cannot be reached is UNAVAILABLE with a message naming it, not grpc-js's text.
function upstreamError(upstream: string, error: GrpcError): ServiceError {
  if (error.code === GrpcStatus.UNAVAILABLE) {
    return new ServiceError(GrpcStatus.UNAVAILABLE, `The ${upstream} service is not available`, { cause: error });
  }
  return serviceErrorFromGrpc(error);
}
