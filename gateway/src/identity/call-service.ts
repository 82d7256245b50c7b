import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import type { UpstreamPool } from "../upstream/upstream-pool";

/** One unary call from the gateway itself to a service (not on behalf of a REST request). */
export async function callService<I extends DescMessage, O extends DescMessage>(
  upstreams: UpstreamPool,
  call: {
    upstream: string;
    /** "/velaflows.auth.v1.AuthInternalService/GetJwks" */
    path: string;
    input: I;
    output: O;
    request: MessageInitShape<I>;
    metadata?: Record<string, string>;
    timeoutMs: number;
  },
): Promise<MessageShape<O>> {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(call.metadata ?? {})) metadata.set(key, value);
  const bytes = await upstreams.call({
    upstream: call.upstream,
    path: call.path,
    request: toBinary(call.input, create(call.input, call.request)),
    metadata,
    deadline: new Date(Date.now() + call.timeoutMs),
    signal: new AbortController().signal,
  });
  return fromBinary(call.output, bytes);
}
