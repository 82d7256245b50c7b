import type { DescField, DescMethod } from "@bufbuild/protobuf";
import type { MethodPolicy } from "@velaflows/kit";

/** One segment of a compiled path template. */
export type TemplateSegment =
  | { kind: "literal"; value: string }
  /** `*`: exactly one segment. */
  | { kind: "wildcard" }
  /** `**`: zero or more segments; only last (before the verb). */
  | { kind: "deep" };

/** A `{field.path=...}` variable: which segments it captures and which field it sets. */
export interface TemplateVariable {
  /** The field path from the request message, e.g. [entity, entity_type] for `{entity.entity_type}`. */
  fields: DescField[];
  /** Index of the first captured segment. */
  start: number;
  /** Index after the last captured segment; undefined when the variable ends in `**` (to the end). */
  end?: number;
}

/** A parsed and checked HttpRule path template. */
export interface PathTemplate {
  /** The template as written in the proto, e.g. "/api/v1/tags/{id}". */
  source: string;
  segments: TemplateSegment[];
  variables: TemplateVariable[];
  /** The `:verb` suffix, without the colon. */
  verb?: string;
}

/** One HTTP binding of one RPC: what the gateway serves and how it maps to the gRPC call. */
export interface Route {
  /** "GET", "POST", "PUT", "PATCH", "DELETE", a custom kind, or "*" (any method). */
  httpMethod: string;
  template: PathTemplate;
  /** "" (no body), "*" (the whole request message), or a top-level field name. */
  body: string;
  /** "" (the whole response message) or a top-level field of the response. */
  responseBody: string;
  /**
   * The answer is a `google.api.HttpBody` (the output, or its `response_body` field), written raw
   * with its content type instead of the JSON envelope.
   */
  httpBody: boolean;
  method: DescMethod;
  /** access, rate-limit class and success status from our method options. */
  policy: MethodPolicy;
  /** The manifest name of the service that serves the method, e.g. "tags". */
  upstream: string;
  /** 0 for the primary binding, 1.. for `additional_bindings`. */
  bindingIndex: number;
}
