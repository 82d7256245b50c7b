import type { DescMethod, FileRegistry } from "@bufbuild/protobuf";
import { methodPolicy, type MethodPolicy } from "@velaflows/kit";
import { upstreamOfPackage } from "../routing/route-table";

// The access level of methods only other services call.
const INTERNAL_ACCESS = "internal";

/** One RPC the Connect edge serves, and where it forwards it. */
export interface ConnectMethod {
  method: DescMethod;
  /** "/velaflows.tags.v1.TagsService/CreateTag": the request path and the upstream gRPC path. */
  procedure: string;
  /** The manifest name of the service that serves it, e.g. "tags". */
  upstream: string;
  /** access and rate-limit class from our method options. */
  policy: MethodPolicy;
}

/**
 * Every unary method of every service in the registry whose package is `velaflows.<name>.v1`
 * (the same rule as the REST routes, with or without an HTTP binding). Streaming methods are left
 * out: the upstream pool forwards unary calls only, so their paths stay unregistered (404 /
 * UNIMPLEMENTED) rather than being accepted and failing later. So are `access: "internal"`
 * methods (service-to-service calls such as resolving a membership): no client outside the
 * cluster may reach them, so the edge does not even name them.
 */
export function connectMethods(registry: FileRegistry): ConnectMethod[] {
  const methods: ConnectMethod[] = [];
  for (const file of registry.files) {
    const upstream = upstreamOfPackage(file.proto.package);
    if (!upstream) continue;
    for (const service of file.services) {
      for (const method of service.methods) {
        if (method.methodKind !== "unary") continue;
        const policy = methodPolicy(method);
        if (policy.access === INTERNAL_ACCESS) continue;
        methods.push({ method, procedure: `/${service.typeName}/${method.name}`, upstream, policy });
      }
    }
  }
  return methods;
}
