import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
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
  const bytes = await upstreams.call({
    upstream: call.upstream,
    path: call.path,
    request: toBinary(call.input, create(call.input, call.request)),
    // Metadata keys are lower case on the wire.
    metadata: Object.fromEntries(Object.entries(call.metadata ?? {}).map(([key, value]) => [key.toLowerCase(), value])),
    deadline: new Date(Date.now() + call.timeoutMs),
  });
  return fromBinary(call.output, bytes);
}
