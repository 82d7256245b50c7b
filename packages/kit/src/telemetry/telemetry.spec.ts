import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

interface ProbeSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;

test("one trace runs from the gRPC client through the server to the SQL query, and logs carry its ids", async () => {
  const root = join(__dirname, "..", "..", "..", "..");
  const { stdout } = await promisify(execFile)(
    join(root, "node_modules", ".bin", "tsx"),
    ["--tsconfig", join(root, "tsconfig.base.json"), "--conditions=@velaflows/source", join(__dirname, "telemetry-probe.fixture.ts")],
    { env: { ...process.env, OTEL_SDK_DISABLED: "" }, timeout: 60_000 },
  );
  const { spans, logs } = JSON.parse(stdout.trim().split("\n").pop()!) as { spans: ProbeSpan[]; logs: Record<string, unknown>[] };

  const client = spans.find((s) => s.kind === SPAN_KIND_CLIENT && s.name === "grpc.velaflows.tags.v1.TagsService/GetTag");
  const server = spans.find((s) => s.kind === SPAN_KIND_SERVER && s.name === "grpc.velaflows.tags.v1.TagsService/GetTag");
  const query = spans.find((s) => s.name.startsWith("pg.query") && s.traceId === client?.traceId);
  expect(client).toBeDefined();
  expect(server).toMatchObject({ traceId: client!.traceId, parentSpanId: client!.spanId });
  expect(query).toBeDefined();
  // Health checks are not traced.
  expect(spans.some((s) => s.name.includes("grpc.health"))).toBe(false);

  const handlerLine = logs.find((line) => line.msg === "inside the handler");
  expect(handlerLine).toMatchObject({ service: "probe", trace_id: server!.traceId, workspace_id: "0123456789abcdef01234567" });
  expect(handlerLine!.request_id).toEqual(expect.any(String));
  const callLine = logs.find((line) => line.msg === "Tag not found");
  expect(callLine).toMatchObject({ level: "info", code: "NOT_FOUND", trace_id: server!.traceId });
}, 90_000);
