import { protoRegistry } from "@velaflows/kit";
import { openApiPath } from "./openapi-path";

const detach = protoRegistry().getMessage("velaflows.tags.v1.DetachTagRequest")!;
const template = (source: string) => ({ source, segments: [], variables: [] });

describe("openApiPath", () => {
  test.each([
    ["/api/v1/tags", "/api/v1/tags", []],
    ["/api/v1/tags/{tag_id}", "/api/v1/tags/{tagId}", [{ name: "tagId" }]],
    [
      "/api/v1/tags/{tag_id}/entities/{entity.entity_type}/{entity.entity_id}",
      "/api/v1/tags/{tagId}/entities/{entity.entityType}/{entity.entityId}",
      [{ name: "tagId" }, { name: "entity.entityType" }, { name: "entity.entityId" }],
    ],
    ["/api/v1/tags/{tag_id}:detach", "/api/v1/tags/{tagId}:detach", [{ name: "tagId" }]],
    ["/api/v1/tags/{tag_id}:batch.get", "/api/v1/tags/{tagId}:batch.get", [{ name: "tagId" }]],
    ["/api/v1/{tag_id=*}", "/api/v1/{tagId}", [{ name: "tagId" }]],
    [
      "/api/v1/{tag_id=shelves/*/tags/*}:archive",
      "/api/v1/{tagId}:archive",
      [{ name: "tagId", segmentPattern: "shelves/*/tags/*", valuePattern: "^shelves/[^/]+/tags/[^/]+$" }],
    ],
    ["/api/v1/files/{tag_id=**}", "/api/v1/files/{tagId}", [{ name: "tagId", segmentPattern: "**", valuePattern: "^.*$" }]],
    ["/api/v1/{tag_id=v1.0/*}", "/api/v1/{tagId}", [{ name: "tagId", segmentPattern: "v1.0/*", valuePattern: "^v1\\.0/[^/]+$" }]],
    [
      "/api/v1/tags/*/entities/{tag_id}",
      "/api/v1/tags/{wildcard1}/entities/{tagId}",
      [{ name: "wildcard1", segmentPattern: "*" }, { name: "tagId" }],
    ],
    ["/api/v1/*:reindex", "/api/v1/{wildcard1}:reindex", [{ name: "wildcard1", segmentPattern: "*" }]],
    ["/api/v1/blobs/**", "/api/v1/blobs/{wildcard1}", [{ name: "wildcard1", segmentPattern: "**", valuePattern: "^.*$" }]],
  ])("%s → %s", (source, path, parameters) => {
    const result = openApiPath(template(source), detach);
    expect(result.path).toBe(path);
    expect(result.parameters.map(({ fields: _fields, ...rest }) => JSON.parse(JSON.stringify(rest)))).toEqual(parameters);
  });

  test("the parameters carry the bound field chain", () => {
    const { parameters } = openApiPath(template("/x/{entity.entity_type}"), detach);
    expect(parameters[0]!.fields.map((f) => f.name)).toEqual(["entity", "entity_type"]);
  });

  test("prefers the fields the route table resolved", () => {
    const tagId = detach.fields.find((f) => f.name === "tag_id")!;
    const { parameters } = openApiPath({ source: "/x/{tag_id}", segments: [], variables: [{ fields: [tagId], start: 1, end: 2 }] }, detach);
    expect(parameters[0]!.fields).toEqual([tagId]);
  });

  test("names the template and message when a variable binds an unknown field", () => {
    expect(() => openApiPath(template("/x/{entity.nope}"), detach)).toThrow(
      "Path template /x/{entity.nope} binds entity.nope, which velaflows.tags.v1.DetachTagRequest does not have",
    );
  });
});
