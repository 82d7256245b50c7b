import { create, type DescMessage } from "@bufbuild/protobuf";
import * as tagsEs from "@velaflows/proto/es/velaflows/tags/v1/tags_pb";
import * as tagsTs from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { FieldViolation } from "../errors/service-error";
import { protoRegistry } from "../protos/proto-registry";
import { validateMessage } from "./validate-message";

// The requests checked here, by message name: the descriptor from the platform registry, the
// ts-proto codec (what services receive) and the protobuf-es schema (what the gateway builds).
const MESSAGES = {
  CreateTagRequest: { ts: tagsTs.CreateTagRequest, es: tagsEs.CreateTagRequestSchema },
  GetTagRequest: { ts: tagsTs.GetTagRequest, es: tagsEs.GetTagRequestSchema },
  UpdateTagRequest: { ts: tagsTs.UpdateTagRequest, es: tagsEs.UpdateTagRequestSchema },
  ListTagsRequest: { ts: tagsTs.ListTagsRequest, es: tagsEs.ListTagsRequestSchema },
  AttachTagRequest: { ts: tagsTs.AttachTagRequest, es: tagsEs.AttachTagRequestSchema },
  BulkAttachTagsRequest: { ts: tagsTs.BulkAttachTagsRequest, es: tagsEs.BulkAttachTagsRequestSchema },
  SetEntityTagsRequest: { ts: tagsTs.SetEntityTagsRequest, es: tagsEs.SetEntityTagsRequestSchema },
  BatchGetEntityTagsRequest: { ts: tagsTs.BatchGetEntityTagsRequest, es: tagsEs.BatchGetEntityTagsRequestSchema },
} as const;
type MessageName = keyof typeof MESSAGES;

function descriptor(name: MessageName): DescMessage {
  const desc = protoRegistry().getMessage(`velaflows.tags.v1.${name}`);
  if (!desc) throw new Error(`velaflows.tags.v1.${name} is not in the registry`);
  return desc;
}

const ID = "65f1a2b3c4d5e6f7a8b9c0d1";
const ID2 = "65f1a2b3c4d5e6f7a8b9c0d2";
const ONE_OF_ENTITY_TYPES = "must be one of: customer, conversation, lead, registration, broker, task, broadcast, message";
const HEX_ID = "must be a 24-character hex id";
const HEX_COLOR = "must be a hex colour such as #22c55e";
const required = (path: string): FieldViolation => ({ path, message: "is required" });

interface Case {
  name: string;
  message: MessageName;
  /** A partial message; each case runs as a ts-proto object (`fromPartial`) and a protobuf-es message (`create`). */
  init: Record<string, unknown>;
  want: FieldViolation[];
}

const cases: Case[] = [
  // required: google.api.field_behavior = REQUIRED
  {
    name: "a valid create request",
    message: "CreateTagRequest",
    init: { name: "VIP", color: "#22c55e", entityTypes: ["customer", "lead"] },
    want: [],
  },
  { name: "REQUIRED string left empty", message: "CreateTagRequest", init: {}, want: [required("name")] },
  { name: "REQUIRED message left out", message: "UpdateTagRequest", init: { id: ID }, want: [required("tag")] },
  { name: "REQUIRED nested message left out", message: "AttachTagRequest", init: { tagId: ID }, want: [required("entity")] },
  // required: rules.required
  { name: "rules.required string left empty", message: "GetTagRequest", init: {}, want: [required("id")] },
  {
    name: "rules.required inside a nested message",
    message: "AttachTagRequest",
    init: { tagId: ID, entity: {} },
    want: [required("entity.entityType"), required("entity.entityId")],
  },
  // lengths, in code points
  { name: "name of 100 characters", message: "CreateTagRequest", init: { name: "n".repeat(100) }, want: [] },
  {
    name: "name of 101 characters",
    message: "CreateTagRequest",
    init: { name: "n".repeat(101) },
    want: [{ path: "name", message: "must be at most 100 characters" }],
  },
  { name: "name of 100 emoji (200 UTF-16 units)", message: "CreateTagRequest", init: { name: "😀".repeat(100) }, want: [] },
  {
    name: "name of 101 emoji",
    message: "CreateTagRequest",
    init: { name: "😀".repeat(101) },
    want: [{ path: "name", message: "must be at most 100 characters" }],
  },
  {
    name: "description over 500",
    message: "CreateTagRequest",
    init: { name: "VIP", description: "d".repeat(501) },
    want: [{ path: "description", message: "must be at most 500 characters" }],
  },
  {
    name: "nested max_len",
    message: "AttachTagRequest",
    init: { tagId: ID, entity: { entityType: "lead", entityId: "e".repeat(65) } },
    want: [{ path: "entity.entityId", message: "must be at most 64 characters" }],
  },
  {
    name: "max_len on each list element",
    message: "BatchGetEntityTagsRequest",
    init: { entityType: "lead", entityIds: ["a", "b".repeat(65)] },
    want: [{ path: "entityIds[1]", message: "must be at most 64 characters" }],
  },
  // formats
  { name: "#rrggbb colour", message: "CreateTagRequest", init: { name: "VIP", color: "#22C55e" }, want: [] },
  { name: "#rgb colour", message: "CreateTagRequest", init: { name: "VIP", color: "#abc" }, want: [] },
  { name: "colour name", message: "CreateTagRequest", init: { name: "VIP", color: "red" }, want: [{ path: "color", message: HEX_COLOR }] },
  { name: "colour without #", message: "CreateTagRequest", init: { name: "VIP", color: "22c55e" }, want: [{ path: "color", message: HEX_COLOR }] },
  { name: "colour of 5 digits", message: "CreateTagRequest", init: { name: "VIP", color: "#22c55" }, want: [{ path: "color", message: HEX_COLOR }] },
  { name: "object id", message: "GetTagRequest", init: { id: ID }, want: [] },
  { name: "object id too short", message: "GetTagRequest", init: { id: ID.slice(1) }, want: [{ path: "id", message: HEX_ID }] },
  { name: "object id in upper case", message: "GetTagRequest", init: { id: ID.toUpperCase() }, want: [{ path: "id", message: HEX_ID }] },
  { name: "object id with a non-hex letter", message: "GetTagRequest", init: { id: `${ID.slice(0, 23)}g` }, want: [{ path: "id", message: HEX_ID }] },
  // in
  { name: "entity types from the list", message: "CreateTagRequest", init: { name: "VIP", entityTypes: ["customer", "message"] }, want: [] },
  {
    name: "an entity type not in the list",
    message: "CreateTagRequest",
    init: { name: "VIP", entityTypes: ["customer", "user"] },
    want: [{ path: "entityTypes[1]", message: ONE_OF_ENTITY_TYPES }],
  },
  {
    name: "an empty list element is checked, not skipped",
    message: "CreateTagRequest",
    init: { name: "VIP", entityTypes: [""] },
    want: [{ path: "entityTypes[0]", message: ONE_OF_ENTITY_TYPES }],
  },
  {
    name: "in on a singular field",
    message: "ListTagsRequest",
    init: { sortBy: "title", sortOrder: "ASC" },
    want: [
      { path: "sortBy", message: "must be one of: createdAt, updatedAt, name, usageCount" },
      { path: "sortOrder", message: "must be one of: asc, desc" },
    ],
  },
  // numbers: proto3 zero means "not given"
  { name: "list request with every field unset", message: "ListTagsRequest", init: {}, want: [] },
  { name: "page and limit at their bounds", message: "ListTagsRequest", init: { page: 1, limit: 100 }, want: [] },
  { name: "negative page", message: "ListTagsRequest", init: { page: -1 }, want: [{ path: "page", message: "must be at least 1" }] },
  { name: "limit above max", message: "ListTagsRequest", init: { limit: 101 }, want: [{ path: "limit", message: "must be at most 100" }] },
  {
    name: "search over 200",
    message: "ListTagsRequest",
    init: { search: "s".repeat(201) },
    want: [{ path: "search", message: "must be at most 200 characters" }],
  },
  // repeated fields
  { name: "min_items on empty lists", message: "BulkAttachTagsRequest", init: {}, want: [required("tagIds"), required("entities")] },
  {
    name: "a list without min_items may be empty",
    message: "SetEntityTagsRequest",
    init: { entity: { entityType: "lead", entityId: "1" } },
    want: [],
  },
  {
    name: "max_items reports the list once, not its elements",
    message: "CreateTagRequest",
    init: { name: "VIP", entityTypes: Array.from({ length: 21 }, () => "nope") },
    want: [{ path: "entityTypes", message: "must have at most 20 items" }],
  },
  {
    name: "max_items at the bound",
    message: "BulkAttachTagsRequest",
    init: { tagIds: Array.from({ length: 100 }, () => ID), entities: [{ entityType: "lead", entityId: "1" }] },
    want: [],
  },
  {
    name: "max_items above the bound",
    message: "BulkAttachTagsRequest",
    init: { tagIds: Array.from({ length: 101 }, () => ID), entities: [{ entityType: "lead", entityId: "1" }] },
    want: [{ path: "tagIds", message: "must have at most 100 items" }],
  },
  {
    name: "format on each list element",
    message: "BulkAttachTagsRequest",
    init: { tagIds: [ID, "nope", ""], entities: [{ entityType: "lead", entityId: "1" }] },
    want: [{ path: "tagIds[1]", message: HEX_ID }, { path: "tagIds[2]", message: HEX_ID }],
  },
  {
    name: "messages in a list, with indexed paths",
    message: "BulkAttachTagsRequest",
    init: { tagIds: [ID, ID2], entities: [{ entityType: "lead", entityId: "1" }, { entityType: "user", entityId: "" }] },
    want: [{ path: "entities[1].entityType", message: ONE_OF_ENTITY_TYPES }, required("entities[1].entityId")],
  },
  // nested messages without required fields
  { name: "an empty nested tag", message: "UpdateTagRequest", init: { id: ID, tag: {} }, want: [] },
  {
    name: "rules inside a nested message",
    message: "UpdateTagRequest",
    init: { id: "x", tag: { name: "n".repeat(101), color: "blue", entityTypes: ["lead", "x"] } },
    want: [
      { path: "id", message: HEX_ID },
      { path: "tag.name", message: "must be at most 100 characters" },
      { path: "tag.color", message: HEX_COLOR },
      { path: "tag.entityTypes[1]", message: ONE_OF_ENTITY_TYPES },
    ],
  },
  // every violation, in field order
  {
    name: "several violations at once",
    message: "CreateTagRequest",
    init: { color: "red", description: "d".repeat(501), entityTypes: ["x"] },
    want: [
      required("name"),
      { path: "color", message: HEX_COLOR },
      { path: "description", message: "must be at most 500 characters" },
      { path: "entityTypes[0]", message: ONE_OF_ENTITY_TYPES },
    ],
  },
];

describe("validateMessage", () => {
  type Build = (name: MessageName, init: Record<string, unknown>) => unknown;
  describe.each<[string, Build]>([
    ["a ts-proto object", (name, init) => (MESSAGES[name].ts as { fromPartial(value: unknown): unknown }).fromPartial(init)],
    ["a protobuf-es message", (name, init) => create(MESSAGES[name].es as DescMessage, init)],
  ])("on %s", (_, build) => {
    test.each(cases)("$message: $name", ({ message, init, want }) => {
      expect(validateMessage(descriptor(message), build(message, init))).toEqual(want);
    });
  });

  test("treats missing keys of a plain object as unset", () => {
    expect(validateMessage(descriptor("AttachTagRequest"), { entity: { entityType: "lead" } })).toEqual([
      required("tagId"),
      required("entity.entityId"),
    ]);
  });

  test("treats a missing message as empty", () => {
    expect(validateMessage(descriptor("BulkAttachTagsRequest"), undefined)).toEqual([required("tagIds"), required("entities")]);
  });

  test("reads the same rules from a generated protobuf-es schema as from the registry", () => {
    const init = { color: "red", entityTypes: ["customer", "x"] };
    const fromSchema = validateMessage(tagsEs.CreateTagRequestSchema, create(tagsEs.CreateTagRequestSchema, init));
    expect(fromSchema).toEqual(validateMessage(descriptor("CreateTagRequest"), tagsTs.CreateTagRequest.fromPartial(init)));
    expect(fromSchema).toHaveLength(3);
  });
});
