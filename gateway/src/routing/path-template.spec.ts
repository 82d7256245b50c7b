import { protoRegistry } from "@velaflows/kit";
import { parsePathTemplate } from "./path-template";

const echo = protoRegistry().getMessage("velaflows.testing.v1.EchoRequest")!;
const detach = protoRegistry().getMessage("velaflows.tags.v1.DetachTagRequest")!;

test("parses literals, variables with patterns, nested paths and verbs", () => {
  const template = parsePathTemplate("/v1/{nested.name=shelves/*}/x/{string_value}:do:it", echo);
  expect(template.segments.map((s) => (s.kind === "literal" ? s.value : s.kind))).toEqual(["v1", "shelves", "wildcard", "x", "wildcard"]);
  expect(template.variables.map((v) => [v.fields.map((f) => f.name).join("."), v.start, v.end])).toEqual([
    ["nested.name", 1, 3],
    ["string_value", 4, 5],
  ]);
  expect(template.verb).toBe("do:it");
  const deep = parsePathTemplate("/v1/{string_value=files/**}", echo);
  expect(deep.variables[0]).toMatchObject({ start: 1, end: undefined });
  expect(parsePathTemplate("/v1/{entity.entity_type}/{entity.entity_id}", detach).variables).toHaveLength(2);
});

test.each([
  ["v1/x", echo, "it must start with /"],
  ["/v1/{missing}", echo, 'has no field "missing"'],
  ["/v1/{repeated_string}", echo, "repeated or a map"],
  ["/v1/{labels}", echo, "repeated or a map"],
  ["/v1/{nested}", echo, "is a message"],
  ["/v1/{int32_value.x}", echo, "is not a message"],
  ["/v1/**/x", echo, "** may only be the last segment"],
  ["/v1/{string_value}/{string_value}", echo, "bound twice"],
  ["/v1/{string_value", echo, "unbalanced braces"],
  ["/v1/{string_value={int32_value}}", echo, "nested braces"],
  ["/v1//x", echo, "empty segment"],
  ["/v1/x:", echo, "empty :verb"],
  ["/v1/{bad-name}", echo, "invalid field path"],
])("refuses %s", (source, message, why) => {
  expect(() => parsePathTemplate(source, message)).toThrow(why);
  expect(() => parsePathTemplate(source, message)).toThrow(`Invalid path template "${source}" on ${message.typeName}`);
});
