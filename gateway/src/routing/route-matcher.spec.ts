import { protoRegistry } from "@velaflows/kit";
import { buildRoutes } from "./route-table";
import { createRouteMatcher, type RouteMatch } from "./route-matcher";

const routes = buildRoutes(protoRegistry());
const match = createRouteMatcher(routes);

function describeMatch(result: RouteMatch) {
  if (result.kind !== "match") return result;
  return {
    kind: "match",
    method: result.route.method.name,
    binding: result.route.bindingIndex,
    params: Object.fromEntries(result.params.map((p) => [p.variable.fields.map((f) => f.name).join("."), p.value])),
  };
}

test.each([
  // literals, single variables and nested field paths
  ["GET", "/api/v1/tags", { kind: "match", method: "ListTags", binding: 0, params: {} }],
  ["GET", "/api/v1/tags/6612a1b2c3d4e5f6a7b8c9d0", { kind: "match", method: "GetTag", binding: 0, params: { id: "6612a1b2c3d4e5f6a7b8c9d0" } }],
  [
    "DELETE",
    "/api/v1/tags/abc/entities/customer/c-1",
    { kind: "match", method: "DetachTag", binding: 0, params: { tag_id: "abc", "entity.entity_type": "customer", "entity.entity_id": "c-1" } },
  ],
  // a literal beats a variable in the same position, whatever the order in the proto
  ["GET", "/api/v1/testing/books/latest", { kind: "match", method: "GetLatestBook", binding: 0, params: {} }],
  ["GET", "/api/v1/testing/books/b-7", { kind: "match", method: "GetBookById", binding: 0, params: { id: "b-7" } }],
  ["POST", "/api/v1/tags/bulk-attach", { kind: "match", method: "BulkAttachTags", binding: 0, params: {} }],
  // multi-segment variables bind the whole matched text; %2F stays encoded inside them
  ["GET", "/api/v1/testing/shelves/s1/books/b2", { kind: "match", method: "GetBook", binding: 0, params: { name: "shelves/s1/books/b2" } }],
  ["GET", "/api/v1/testing/shelves/s%2F1/books/b2", { kind: "match", method: "GetBook", binding: 0, params: { name: "shelves/s%2F1/books/b2" } }],
  ["GET", "/api/v1/testing/shelves/s%20one/books/b2", { kind: "match", method: "GetBook", binding: 0, params: { name: "shelves/s one/books/b2" } }],
  ["GET", "/api/v1/testing/prefixed/strprefix/x", { kind: "match", method: "Echo", binding: 5, params: { string_value: "strprefix/x" } }],
  // single-segment variables decode everything, including %2F
  ["GET", "/api/v1/tags/a%2Fb", { kind: "match", method: "GetTag", binding: 0, params: { id: "a/b" } }],
  ["GET", "/api/v1/tags/caf%C3%A9", { kind: "match", method: "GetTag", binding: 0, params: { id: "café" } }],
  // ** takes the rest of the path, or nothing
  ["GET", "/api/v1/testing/files/a/b/c.txt", { kind: "match", method: "GetFile", binding: 0, params: { path: "a/b/c.txt" } }],
  ["GET", "/api/v1/testing/files", { kind: "match", method: "GetFile", binding: 0, params: { path: "" } }],
  // a registered :verb is split off; elsewhere a colon is data
  ["POST", "/api/v1/testing/books/b1:archive", { kind: "match", method: "ArchiveBook", binding: 0, params: { id: "b1" } }],
  ["GET", "/api/v1/testing/books/b1:archive", { kind: "match", method: "GetBookById", binding: 0, params: { id: "b1:archive" } }],
  ["GET", "/api/v1/tags/a:b", { kind: "match", method: "GetTag", binding: 0, params: { id: "a:b" } }],
  // a verb on the service's own segment (a collection's custom method)
  ["GET", "/api/v1/tags:batchGet", { kind: "match", method: "BatchGetTags", binding: 0, params: {} }],
  ["POST", "/api/v1/tags:batchGet", { kind: "method_not_allowed", allow: ["GET"] }],
  ["GET", "/api/v1/tags:other", { kind: "not_found" }],
  // additional bindings
  ["GET", "/api/v1/testing/echo", { kind: "match", method: "Echo", binding: 1, params: {} }],
  ["POST", "/api/v1/testing/echo", { kind: "match", method: "Echo", binding: 2, params: {} }],
  ["POST", "/api/v1/testing/echo/hello", { kind: "match", method: "Echo", binding: 3, params: { string_value: "hello" } }],
  ["GET", "/api/v1/testing/nested/n1/echo", { kind: "match", method: "Echo", binding: 4, params: { "nested.name": "n1" } }],
  // misses
  ["GET", "/api/v1/nothing-here", { kind: "not_found" }],
  ["GET", "/api/v1/tags/a/b/c/d/e/f", { kind: "not_found" }],
  ["GET", "/api/v1/tags/", { kind: "not_found" }],
  ["GET", "/api/v1//tags", { kind: "not_found" }],
  ["PUT", "/api/v1/tags", { kind: "method_not_allowed", allow: ["GET", "POST"] }],
  ["POST", "/api/v1/tags/abc", { kind: "method_not_allowed", allow: ["DELETE", "GET", "PATCH"] }],
  ["GET", "/api/v1/tags/%zz", { kind: "bad_path" }],
  ["GET", "/api/v1/tags/%E0%A4%A", { kind: "bad_path" }],
])("%s %s", (method, path, expected) => {
  expect(describeMatch(match(method, path))).toEqual(expected);
});

test("the route table covers every binding of every RPC with an http option", () => {
  const tags = routes.filter((r) => r.upstream === "tags");
  expect(new Set(tags.map((r) => r.method.name)).size).toBe(16);
  expect(routes.filter((r) => r.method.name === "Echo")).toHaveLength(6);
  expect(routes.every((r) => r.template.source.startsWith("/api/v1/"))).toBe(true);
});
