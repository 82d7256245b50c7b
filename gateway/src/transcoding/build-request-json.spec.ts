import { fromJson } from "@bufbuild/protobuf";
import { protoRegistry } from "@velaflows/kit";
import { buildRoutes } from "../routing/route-table";
import { createRouteMatcher } from "../routing/route-matcher";
import { BodyError, buildRequestJson } from "./build-request-json";
import { ParameterError } from "./scalar-text";

const registry = protoRegistry();
const match = createRouteMatcher(buildRoutes(registry));

function build(method: string, url: string, body?: unknown) {
  const [path, query = ""] = url.split("?");
  const found = match(method, path!);
  if (found.kind !== "match") throw new Error(`no route for ${method} ${url}`);
  const json = buildRequestJson(found.route, { params: found.params, query: new URLSearchParams(query), body });
  fromJson(found.route.method.input, json as never, { registry, ignoreUnknownFields: true }); // must decode
  return json;
}

test.each([
  [
    "path scalars of every kind, enums by name",
    "GET",
    "/api/v1/testing/scalars/-7/9007199254740993/18446744073709551615/true/2.5/COLOR_RED/hello%20world",
    undefined,
    { int32Value: -7, int64Value: "9007199254740993", uint64Value: "18446744073709551615", boolValue: true, doubleValue: 2.5, enumValue: "COLOR_RED", stringValue: "hello world" },
  ],
  ["an enum by number", "GET", "/api/v1/testing/scalars/1/1/1/false/1/2/x", undefined, { enumValue: "COLOR_GREEN", boolValue: false }],
  [
    "query parameters by proto and JSON names, dotted, repeated, wrapped and well-known",
    "GET",
    "/api/v1/testing/echo?int32_value=3&stringValue=a+b&nested.name=n&nested.amount=12&repeated_string=x&repeated_string=y&repeatedEnum=COLOR_RED&repeatedEnum=2" +
      "&wrapped_int32=5&wrapped_string=w&timestamp_value=2026-01-02T03:04:05.120Z&duration_value=1.5s&field_mask=a,nested.name&struct_value=%7B%22k%22%3A1%7D&_id=i1&choice_text=t",
    undefined,
    {
      int32Value: 3,
      stringValue: "a b",
      nested: { name: "n", amount: "12" },
      repeatedString: ["x", "y"],
      repeatedEnum: ["COLOR_RED", "COLOR_GREEN"],
      wrappedInt32: 5,
      wrappedString: "w",
      timestampValue: "2026-01-02T03:04:05.120Z",
      durationValue: "1.5s",
      fieldMask: "a,nested.name",
      structValue: { k: 1 },
      _id: "i1",
      choiceText: "t",
    },
  ],
  ["unknown query parameters are ignored", "GET", "/api/v1/testing/echo?nope=1&nested.nope=2&string_value=s", undefined, { stringValue: "s" }],
  ["body * fills the message and query parameters bind nothing", "POST", "/api/v1/testing/echo?int32_value=9", { stringValue: "b", int32Value: 1 }, { stringValue: "b", int32Value: 1 }],
  [
    "body field, with the path and the query around it",
    "POST",
    "/api/v1/testing/echo/from-path?int32_value=4",
    { name: "in body", amount: "3" },
    { nested: { name: "in body", amount: "3" }, stringValue: "from-path", int32Value: 4 },
  ],
  ["the path wins over the body, whichever spelling the body used", "POST", "/api/v1/testing/books/b9:archive", { id: "other", reason: "r" }, { id: "b9", reason: "r" }],
  ["a nested path variable", "GET", "/api/v1/testing/nested/n-1/echo?nested.amount=2", undefined, { nested: { name: "n-1", amount: "2" } }],
  [
    "PATCH with a body field and no mask: the mask comes from the body's keys",
    "PATCH",
    "/api/v1/testing/books/b1",
    { title: "T", details: { name: "d", color: "COLOR_RED" }, tags: [] },
    { book: { id: "b1", title: "T", details: { name: "d", color: "COLOR_RED" }, tags: [] }, updateMask: "title,details.name,details.color,tags" },
  ],
  ["PATCH with an explicit mask keeps it", "PATCH", "/api/v1/testing/books/b1?update_mask=title", { title: "T", author: "A" }, { book: { id: "b1", title: "T", author: "A" }, updateMask: "title" }],
  ["a Tags update builds its mask", "PATCH", "/api/v1/tags/6612a1b2c3d4e5f6a7b8c9d0", { name: "VIP", entityTypes: ["lead"] }, { id: "6612a1b2c3d4e5f6a7b8c9d0", tag: { name: "VIP", entityTypes: ["lead"] }, updateMask: "name,entityTypes" }],
])("%s", (_, method, url, body, expected) => {
  expect(build(method, url, body)).toMatchObject(expected);
});

test.each([
  ["/api/v1/testing/scalars/x/1/1/true/1/COLOR_RED/s", "int32Value", "a 32-bit integer"],
  ["/api/v1/testing/scalars/2147483648/1/1/true/1/COLOR_RED/s", "int32Value", "a 32-bit integer"],
  ["/api/v1/testing/scalars/1/9223372036854775808/1/true/1/COLOR_RED/s", "int64Value", "a 64-bit integer"],
  ["/api/v1/testing/scalars/1/1/-1/true/1/COLOR_RED/s", "uint64Value", "an unsigned 64-bit integer"],
  ["/api/v1/testing/scalars/1/1/1/yes/1/COLOR_RED/s", "boolValue", "true or false"],
  ["/api/v1/testing/scalars/1/1/1/true/abc/COLOR_RED/s", "doubleValue", "a number"],
  ["/api/v1/testing/scalars/1/1/1/true/1/COLOR_BLUE/s", "enumValue", "one of COLOR_UNSPECIFIED, COLOR_RED, COLOR_GREEN"],
  ["/api/v1/testing/echo?int32_value=1&int32_value=2", "int32_value", "a single value"],
  ["/api/v1/testing/echo?nested=x", "nested", "a scalar"],
  ["/api/v1/testing/echo?labels=x", "labels", "maps cannot be set"],
  ["/api/v1/testing/echo?struct_value=%7Bnope", "struct_value", "JSON"],
  ["/api/v1/testing/echo?bytes_value=%25%25", "bytes_value", "base64 bytes"],
])("refuses %s naming %s", (url, parameter, expected) => {
  let thrown: unknown;
  try {
    build("GET", url);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ParameterError);
  expect(thrown).toMatchObject({ parameter, expected: expect.stringContaining(expected) });
});

test("body * must be an object", () => {
  expect(() => build("POST", "/api/v1/testing/echo", [1, 2])).toThrow(BodyError);
  expect(() => build("POST", "/api/v1/testing/echo", "text")).toThrow(BodyError);
});
