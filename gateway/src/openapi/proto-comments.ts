import type { DescEnum, DescEnumValue, DescField, DescFile, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";

/** The comments written next to a proto element, with the comment markers' single leading space removed. */
export interface ProtoComments {
  /** The comment block directly above the element. */
  leading?: string;
  /** The comment after the element on the same line (or the line below). */
  trailing?: string;
}

/** Elements whose comments the OpenAPI generator reads. */
export type CommentedDesc = DescService | DescMethod | DescMessage | DescField | DescEnum | DescEnumValue;

// Field numbers in google/protobuf/descriptor.proto that make up a SourceCodeInfo location path.
const FILE_MESSAGE_TYPE = 4;
const FILE_ENUM_TYPE = 5;
const FILE_SERVICE = 6;
const MESSAGE_FIELD = 2;
const MESSAGE_NESTED_TYPE = 3;
const MESSAGE_ENUM_TYPE = 4;
const ENUM_VALUE = 2;
const SERVICE_METHOD = 2;

/**
 * Reads an element's comments from its file's `SourceCodeInfo`. @bufbuild/protobuf v2 keeps the
 * raw `FileDescriptorProto` on every `DescFile` (`file.proto.sourceCodeInfo`) but ships no comment
 * lookup in the runtime (`getComments` lives in `@bufbuild/protoplugin`), so the element's
 * location path is rebuilt here the same way: the chain of descriptor.proto field numbers and
 * indexes from the file down to the element. Returns `{}` when the descriptor set was built without
 * source info or the element has no comment.
 */
export function protoComments(desc: CommentedDesc): ProtoComments {
  const { file, path } = locate(desc);
  const location = locationsOf(file).get(path.join("."));
  if (!location) return {};
  const comments: ProtoComments = {};
  const leading = clean(location.leadingComments);
  const trailing = clean(location.trailingComments);
  if (leading) comments.leading = leading;
  if (trailing) comments.trailing = trailing;
  return comments;
}

/** The leading comment, else the trailing one; undefined when the element has none. */
export function protoDescription(desc: CommentedDesc): string | undefined {
  const { leading, trailing } = protoComments(desc);
  return leading ?? trailing;
}

type SourceLocation = NonNullable<DescFile["proto"]["sourceCodeInfo"]>["location"][number];

const locationCache = new WeakMap<DescFile, Map<string, SourceLocation>>();

/** The file's source locations by path, indexed once per file. */
function locationsOf(file: DescFile): Map<string, SourceLocation> {
  let locations = locationCache.get(file);
  if (!locations) {
    locations = new Map();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const key = location.path.join(".");
      if (!locations.has(key)) locations.set(key, location);
    }
    locationCache.set(file, locations);
  }
  return locations;
}

function locate(desc: CommentedDesc): { file: DescFile; path: number[] } {
  switch (desc.kind) {
    case "service":
      return { file: desc.file, path: [FILE_SERVICE, desc.file.services.indexOf(desc)] };
    case "rpc": {
      const parent = locate(desc.parent);
      return { file: parent.file, path: [...parent.path, SERVICE_METHOD, desc.parent.methods.indexOf(desc)] };
    }
    case "message":
      if (!desc.parent) return { file: desc.file, path: [FILE_MESSAGE_TYPE, desc.file.proto.messageType.indexOf(desc.proto)] };
      return nested(desc.parent, MESSAGE_NESTED_TYPE, desc.parent.proto.nestedType.indexOf(desc.proto));
    case "enum":
      if (!desc.parent) return { file: desc.file, path: [FILE_ENUM_TYPE, desc.file.proto.enumType.indexOf(desc.proto)] };
      return nested(desc.parent, MESSAGE_ENUM_TYPE, desc.parent.proto.enumType.indexOf(desc.proto));
    case "field":
      return nested(desc.parent, MESSAGE_FIELD, desc.parent.proto.field.indexOf(desc.proto));
    case "enum_value": {
      const parent = locate(desc.parent);
      return { file: parent.file, path: [...parent.path, ENUM_VALUE, desc.parent.proto.value.indexOf(desc.proto)] };
    }
  }
}

function nested(parent: DescMessage, fieldNumber: number, index: number): { file: DescFile; path: number[] } {
  const located = locate(parent);
  return { file: located.file, path: [...located.path, fieldNumber, index] };
}

/** Drops the space after `//`, trailing blanks and surrounding blank lines. */
function clean(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  const text = comment
    .split("\n")
    .map((line) => (line.startsWith(" ") ? line.slice(1) : line).trimEnd())
    .join("\n")
    .trim();
  return text || undefined;
}
