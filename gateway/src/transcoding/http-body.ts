import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { HttpBodySchema, type HttpBody } from "@velaflows/proto/es/google/api/httpbody_pb";
import { AttachmentSchema } from "@velaflows/proto/es/velaflows/api/v1/attachment_pb";

export const HTTP_BODY_TYPE = HttpBodySchema.typeName;
const ATTACHMENT_TYPE_URL = `type.googleapis.com/${AttachmentSchema.typeName}`;

/** A `google.api.HttpBody` ready to write: its bytes and the headers that describe them. */
export interface RawResponse {
  data: Uint8Array;
  headers: { "content-type": string; "content-disposition"?: string };
}

/**
 * True when a binding answers raw bytes rather than the JSON envelope (grpc-gateway's rule): the
 * method's output is `google.api.HttpBody`, or the `response_body` field it names is one.
 */
export function answersHttpBody(output: DescMessage, responseBody: string): boolean {
  if (!responseBody) return output.typeName === HTTP_BODY_TYPE;
  const field = output.fields.find((f) => f.name === responseBody);
  return field?.fieldKind === "message" && field.message.typeName === HTTP_BODY_TYPE;
}

/**
 * Reads the HttpBody out of a response (the whole message, or its `response_body` field): `data`
 * as the body, `content_type` as Content-Type (`application/octet-stream` when empty), and a
 * `velaflows.api.v1.Attachment` among the `extensions` as `Content-Disposition: attachment`. An
 * unset field is an empty body. Other extensions are ignored, as grpc-gateway ignores them all.
 */
export function readHttpBody(output: DescMessage, responseBody: string, bytes: Uint8Array): RawResponse {
  let body: HttpBody | undefined;
  if (!responseBody) {
    body = fromBinary(HttpBodySchema, bytes);
  } else {
    // The registry's descriptor of google.api.HttpBody decodes to the same shape as the generated one.
    const field = output.fields.find((f) => f.name === responseBody)!;
    body = (fromBinary(output, bytes) as unknown as Record<string, HttpBody | undefined>)[field.localName];
  }
  const contentType = body?.contentType || "application/octet-stream";
  if (!isHeaderValue(contentType)) throw new Error(`The service answered an HttpBody whose content_type is not a valid header value: ${JSON.stringify(contentType)}`);
  const headers: RawResponse["headers"] = { "content-type": contentType };
  const attachment = body?.extensions.find((any) => any.typeUrl === ATTACHMENT_TYPE_URL);
  if (attachment) headers["content-disposition"] = contentDisposition(fromBinary(AttachmentSchema, attachment.value).fileName);
  return { data: body?.data ?? new Uint8Array(0), headers };
}

/**
 * `attachment; filename="…"` (RFC 6266): the name without any path, with an ASCII fallback
 * (characters outside printable ASCII, quotes and backslashes become "_") and, when that differs,
 * the exact name as `filename*=UTF-8''…` (RFC 8187). A name that is empty once cleaned gives a
 * bare `attachment`.
 */
export function contentDisposition(fileName: string): string {
  const name = fileName.replace(/^.*[/\\]/, "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (!name) return "attachment";
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const exact = fallback === name ? "" : `; filename*=UTF-8''${encodeRfc8187(name)}`;
  return `attachment; filename="${fallback}"${exact}`;
}

// RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded as UTF-8.
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function isHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value);
}
