// google.api.HttpBody answers (downloads) through the gateway over HTTP: written raw with their
// content type and a Content-Disposition from the Attachment extension; errors stay envelopes.
import { contentDisposition } from "./transcoding/http-body";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(() => h.stop());

const download = async (path: string) => {
  const response = await fetch(h.gateway.url + path);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
};

test("a response_body HttpBody is written raw: its bytes exactly, its content type, the attachment name", async () => {
  const { status, headers, bytes } = await download("/api/v1/testing/downloads/r%C3%A9sum%C3%A9.bin?contentType=application/x-thing&text=head&binary=true");
  expect(status).toBe(200);
  expect(headers.get("content-type")).toBe("application/x-thing");
  expect(headers.get("content-disposition")).toBe(`attachment; filename="r_sum_.bin"; filename*=UTF-8''r%C3%A9sum%C3%A9.bin`);
  const expected = Buffer.concat([Buffer.from("head"), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
  expect(bytes.equals(expected)).toBe(true);
  expect(headers.get("content-length")).toBe(String(expected.length));
  // The other fields of the response message are not sent; the usual headers are.
  expect(headers.get("x-request-id")).toBeTruthy();
  expect(headers.get("x-content-type-options")).toBe("nosniff");
});

test("text keeps its charset; an empty body is an empty 200", async () => {
  const csv = await download("/api/v1/testing/downloads/a.csv?contentType=text/csv;%20charset=utf-8&text=a,b%0A1,%C3%A9%0A");
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(csv.headers.get("content-disposition")).toBe('attachment; filename="a.csv"');
  expect(csv.bytes.toString("utf8")).toBe("a,b\n1,é\n");

  const empty = await download("/api/v1/testing/downloads/empty.txt?contentType=text/plain");
  expect({ status: empty.status, length: empty.bytes.length, contentLength: empty.headers.get("content-length") }).toEqual({ status: 200, length: 0, contentLength: "0" });
});

test("an RPC whose response is itself an HttpBody; no content type is application/octet-stream, no attachment no disposition", async () => {
  const { status, headers, bytes } = await download("/api/v1/testing/raw?text=plain");
  expect(status).toBe(200);
  expect(headers.get("content-type")).toBe("application/octet-stream");
  expect(headers.get("content-disposition")).toBeNull();
  expect(bytes.toString()).toBe("plain");
});

test("errors of a download route are still the JSON envelope", async () => {
  const missing = await h.request("/api/v1/testing/downloads/gone.csv?text=missing");
  expect(missing.status).toBe(404);
  expect(missing.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(missing.headers.get("content-disposition")).toBeNull();
  expect(missing.body).toMatchObject({ success: false, error: { code: "NOT_FOUND", details: { resourceId: "gone.csv" } } });

  const badQuery = await h.request("/api/v1/testing/downloads/x.csv?binary=maybe");
  expect(badQuery.status).toBe(400);
  expect(badQuery.body).toMatchObject({ success: false, error: { code: "BAD_REQUEST" } });
});

test("a content type that is not a valid header value is the service's fault: 500 envelope, nothing leaks", async () => {
  const response = await h.request("/api/v1/testing/downloads/x.csv?contentType=text/csv%0D%0Aset-cookie:%20a=b&text=x");
  expect(response.status).toBe(500);
  expect(response.headers.get("set-cookie")).toBeNull();
  expect(response.body).toMatchObject({ success: false, error: { code: "INTERNAL_ERROR" } });
});

test("Content-Disposition: no path, an ASCII fallback, RFC 8187 for the exact name", () => {
  expect(contentDisposition("report.csv")).toBe('attachment; filename="report.csv"');
  expect(contentDisposition("../../etc/passwd")).toBe('attachment; filename="passwd"');
  expect(contentDisposition('C:\\a\\say "hi".txt')).toBe(`attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`);
  expect(contentDisposition("naïve 'q'(1)*.csv")).toBe(`attachment; filename="na_ve 'q'(1)*.csv"; filename*=UTF-8''na%C3%AFve%20%27q%27%281%29%2A.csv`);
  expect(contentDisposition("line\r\nbreak.csv")).toBe('attachment; filename="linebreak.csv"');
  expect(contentDisposition("")).toBe("attachment");
  expect(contentDisposition("dir/")).toBe("attachment");
});
