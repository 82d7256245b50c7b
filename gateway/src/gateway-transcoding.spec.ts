import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(() => h.stop());

const received = async (path: string, init?: Parameters<GatewayHarness["request"]>[1]) => {
  const response = await h.request(path, init);
  expect({ status: response.status, success: response.body.success }).toEqual({ status: 200, success: true });
  return response.body.data.received;
};

test("path variables of every scalar kind reach the service typed", async () => {
  const data = await received("/api/v1/testing/scalars/-7/9007199254740993/18446744073709551615/true/2.5/COLOR_GREEN/caf%C3%A9%2Fbar");
  expect(data).toMatchObject({
    int32Value: -7,
    int64Value: "9007199254740993",
    uint64Value: "18446744073709551615",
    boolValue: true,
    doubleValue: 2.5,
    enumValue: "COLOR_GREEN",
    stringValue: "café/bar",
  });
  // implicit defaults are rendered, proto3 optional and unset messages are not
  expect(data).toMatchObject({ uint32Value: 0, repeatedString: [], labels: {}, _id: "" });
  expect(data).not.toHaveProperty("optionalString");
  expect(data).not.toHaveProperty("timestampValue");
});

test("query parameters: names, repeats, nesting, enums, well-known types, form spaces", async () => {
  const data = await received(
    "/api/v1/testing/echo?int32_value=3&stringValue=a+b%2Bc&nested.name=n&nested.amount=12&repeated_string=x&repeated_string=y" +
      "&repeatedEnum=COLOR_RED&repeatedEnum=2&wrapped_int32=5&timestamp_value=2026-01-02T03:04:05.120%2B02:00&duration_value=1.5s" +
      "&field_mask=a,nested.name&optional_string=&_id=i1&choice_number=4&unknown=ignored",
  );
  expect(data).toMatchObject({
    int32Value: 3,
    stringValue: "a b+c",
    nested: { name: "n", amount: "12", color: "COLOR_UNSPECIFIED" },
    repeatedString: ["x", "y"],
    repeatedEnum: ["COLOR_RED", "COLOR_GREEN"],
    wrappedInt32: 5,
    timestampValue: "2026-01-02T01:04:05.120Z",
    durationValue: "1.500s",
    fieldMask: "a,nested.name",
    optionalString: "",
    _id: "i1",
    choiceNumber: 4,
  });
});

test("body * with JSON names and proto names; unknown fields are ignored", async () => {
  const data = await received("/api/v1/testing/echo", {
    method: "POST",
    json: { string_value: "s", int64Value: 42, bytesValue: "aGk=", labels: { a: "1" }, structValue: { deep: [1, { x: null }] }, newField: true },
  });
  expect(data).toMatchObject({ stringValue: "s", int64Value: "42", bytesValue: "aGk=", labels: { a: "1" }, structValue: { deep: [1, { x: null }] } });
});

test("body field with path and query around it", async () => {
  const data = await received("/api/v1/testing/echo/from-path?int32_value=4", { method: "POST", json: { name: "in body", amount: "3" } });
  expect(data).toMatchObject({ stringValue: "from-path", int32Value: 4, nested: { name: "in body", amount: "3" } });
});

test("an empty body is an empty message", async () => {
  expect(await received("/api/v1/testing/echo", { method: "POST" })).toMatchObject({ stringValue: "", int32Value: 0 });
});

test("multi-segment variables keep %2F; custom verbs; literal before variable; **", async () => {
  expect((await h.request("/api/v1/testing/shelves/s%2F1/books/b2")).body.data.receivedName).toBe("shelves/s%2F1/books/b2");
  expect((await h.request("/api/v1/testing/books/b1:archive", { method: "POST", json: { reason: "old" } })).body.data).toEqual({ id: "b1", reason: "old" });
  expect((await h.request("/api/v1/testing/books/latest")).body.data.book.id).toBe("latest");
  expect((await h.request("/api/v1/testing/books/b1:unregistered")).body.data.book.id).toBe("b1:unregistered");
  expect((await h.request("/api/v1/testing/files/a/b%20c/d.txt")).body.data.path).toBe("a/b c/d.txt");
});

test("PATCH builds the field mask from the keys sent", async () => {
  const response = await h.request("/api/v1/testing/books/b7", { method: "PATCH", json: { title: "T", details: { name: "d" } } });
  expect(response.body.data).toEqual({ book: { id: "b7", title: "T", author: "", details: { name: "d", amount: "0", color: "COLOR_UNSPECIFIED" }, tags: [] }, updateMask: ["title", "details.name"] });
});

test("response_body renders one field of the response", async () => {
  const token = await h.token("6612a1b2c3d4e5f6a7b8c9d0", ["testing:read"]);
  const response = await h.request("/api/v1/testing/things?limit=2", { headers: { authorization: `Bearer ${token}`, "x-workspace-id": "6612a1b2c3d4e5f6a7b8c9d0" } });
  expect(response.status).toBe(200);
  expect(response.body.data.map((t: { name: string }) => t.name)).toEqual(["thing-0", "thing-1"]);
});

test("success status, request id and identity travel to the service", async () => {
  const workspaceId = "6612a1b2c3d4e5f6a7b8c9d0";
  const token = await h.token(workspaceId, ["testing:write"]);
  const response = await h.request("/api/v1/testing/things", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId, "x-request-id": "req-123" },
    json: { name: "widget" },
  });
  expect(response.status).toBe(201);
  expect(response.headers.get("x-request-id")).toBe("req-123");
  expect(response.body.data.thing).toMatchObject({ _id: "0123456789abcdef01234567", name: "widget", workspaceId, permissions: ["testing:write"], requestId: "req-123" });
  expect(response.body.data.thing.userId).toMatch(/^[0-9a-f]{24}$/);
});

test("every response carries security headers and a generated request id", async () => {
  const response = await h.request("/api/v1/testing/echo");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
});
