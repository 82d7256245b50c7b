import { protoRegistry } from "@velaflows/kit";
import { protoComments, protoDescription } from "./proto-comments";

// Reads the comments of the committed descriptor set, which is built with source info.
const registry = protoRegistry();
const tags = registry.getService("velaflows.tags.v1.TagsService")!;
const tag = registry.getMessage("velaflows.tags.v1.Tag")!;
const rateLimitClass = registry.getEnum("velaflows.api.v1.RateLimitClass")!;
// descriptor.proto has nested messages and enums with comments.
const fieldDescriptor = registry.getMessage("google.protobuf.FieldDescriptorProto")!;
const fieldType = fieldDescriptor.nestedEnums.find((e) => e.name === "Type")!;
const extensionRange = registry.getMessage("google.protobuf.DescriptorProto.ExtensionRange")!;
const reservedRange = registry.getMessage("google.protobuf.DescriptorProto.ReservedRange")!;

describe("protoComments", () => {
  test.each([
    ["a service", tags, "Workspace tags and their attachment to any entity (customer, conversation, lead, ...).\nEntities are referenced by type and id; a tag is referenced by id, so a rename shows everywhere."],
    ["a method", tags.methods.find((m) => m.name === "CreateTag")!, "Creates a tag. Names are unique per workspace, ignoring case."],
    ["a message", tag, "A label that can be attached to entities of the listed types."],
    ["a field", tag.fields.find((f) => f.name === "name")!, "Unique per workspace, ignoring case; 1 to 100 characters."],
    ["an enum", rateLimitClass, "How many requests a caller may make to a method; the gateway holds one budget per class."],
    ["an enum value", rateLimitClass.values.find((v) => v.number === 0)!, "Treated as RATE_LIMIT_CLASS_GENERAL."],
    ["a nested enum value", fieldType.values.find((v) => v.name === "TYPE_INT64")!, expect.stringContaining("Not ZigZag encoded.")],
    ["a nested message", reservedRange, expect.stringContaining("Range of reserved tag numbers.")],
  ])("reads the leading comment of %s", (_what, desc, expected) => {
    expect(protoComments(desc).leading).toEqual(expected);
    expect(protoDescription(desc)).toEqual(expected);
  });

  test("reads a trailing comment, and falls back to it for the description", () => {
    const start = extensionRange.fields.find((f) => f.name === "start")!; // `optional int32 start = 1;  // Inclusive.`
    expect(protoComments(start)).toEqual({ trailing: "Inclusive." });
    expect(protoDescription(start)).toBe("Inclusive.");
  });

  test("an element without comments has none", () => {
    expect(protoComments(tag.fields.find((f) => f.name === "workspace_id")!)).toEqual({});
    expect(protoDescription(tag.fields.find((f) => f.name === "workspace_id")!)).toBeUndefined();
  });
});
