import type { HttpBody } from "@velaflows/proto/ts/google/api/httpbody";
import { Attachment } from "@velaflows/proto/ts/velaflows/api/v1/attachment";

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

const ATTACHMENT_TYPE_URL = "type.googleapis.com/velaflows.api.v1.Attachment";

/**
 * The `google.api.HttpBody` of a download RPC: the bytes (text as UTF-8), their content type, and
 * the file name as a `velaflows.api.v1.Attachment` extension, from which the gateway writes
 * `Content-Disposition: attachment` (see proto/velaflows/api/v1/attachment.proto).
 */
export function fileResponse(content: string | Uint8Array, options: { contentType: string; fileName?: string }): HttpBody {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const extensions = options.fileName
    ? [{ typeUrl: ATTACHMENT_TYPE_URL, value: Buffer.from(Attachment.encode({ fileName: options.fileName }).finish()) }]
    : [];
  return { contentType: options.contentType, data, extensions };
}

/** A CSV download (`text/csv; charset=utf-8`) named `fileName`. */
export function csvFile(csv: string, fileName: string): HttpBody {
  return fileResponse(csv, { contentType: CSV_CONTENT_TYPE, fileName });
}
