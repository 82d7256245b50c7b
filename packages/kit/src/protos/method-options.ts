import { getOption, hasOption, type DescMethod } from "@bufbuild/protobuf";
import { access, max_request_bytes, rate_limit, sensitive_response, success_status, RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";

/** The platform options of one RPC, as declared in its proto. */
export interface MethodPolicy {
  /** "public", "user", "authenticated" or a permission such as "tags:write"; "authenticated" when unset (see annotations.proto). */
  access: string;
  rateLimit: RateLimitClass;
  successStatus: number;
  /** The response carries a secret shown once: never stored, never replayed. */
  sensitiveResponse: boolean;
  /** The largest request the method takes, in bytes; 0 when unset (the gateway's body limit, gRPC's 4 MiB). */
  maxRequestBytes: number;
}

/** Reads `velaflows.api.v1.access`, `rate_limit`, `success_status`, `sensitive_response` and `max_request_bytes` with their defaults. */
export function methodPolicy(method: DescMethod): MethodPolicy {
  return {
    access: hasOption(method, access) ? getOption(method, access) : "authenticated",
    rateLimit: hasOption(method, rate_limit) ? getOption(method, rate_limit) : RateLimitClass.GENERAL,
    successStatus: hasOption(method, success_status) ? getOption(method, success_status) : 200,
    sensitiveResponse: hasOption(method, sensitive_response) && getOption(method, sensitive_response),
    maxRequestBytes: hasOption(method, max_request_bytes) ? getOption(method, max_request_bytes) : 0,
  };
}
