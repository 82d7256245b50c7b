import { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { methodPolicy } from "./method-options";
import { findMethod, protoRegistry } from "./proto-registry";

describe("findMethod", () => {
  test("finds a method by its gRPC path", () => {
    const method = findMethod("/velaflows.tags.v1.TagsService/CreateTag");
    expect({ name: method.name, input: method.input.typeName, output: method.output.typeName }).toEqual({
      name: "CreateTag",
      input: "velaflows.tags.v1.CreateTagRequest",
      output: "velaflows.tags.v1.CreateTagResponse",
    });
  });

  test.each([["/velaflows.tags.v1.TagsService/NoSuchMethod"], ["/velaflows.nope.v1.NopeService/CreateTag"], ["CreateTag"], [""]])("throws for %j", (path) => {
    expect(() => findMethod(path)).toThrow(`No method ${path} in the descriptor set`);
  });

  test("reads the registry once", () => {
    expect(protoRegistry()).toBe(protoRegistry());
  });
});

describe("methodPolicy", () => {
  test.each([
    ["CreateTag", { access: "tags:write", rateLimit: RateLimitClass.GENERAL, successStatus: 201, sensitiveResponse: false, maxRequestBytes: 0 }],
    ["GetTag (rate limit and status left to their defaults)", { access: "tags:read", rateLimit: RateLimitClass.GENERAL, successStatus: 200, sensitiveResponse: false, maxRequestBytes: 0 }],
    ["BulkAttachTags", { access: "tags:write", rateLimit: RateLimitClass.BULK, successStatus: 200, sensitiveResponse: false, maxRequestBytes: 0 }],
  ])("reads the options of %s", (method, policy) => {
    expect(methodPolicy(findMethod(`/velaflows.tags.v1.TagsService/${method.split(" ")[0]}`))).toEqual(policy);
  });

  test("reads the request size of an upload", () => {
    expect(methodPolicy(findMethod("/velaflows.customers.v1.CustomersService/CreateImportJob")).maxRequestBytes).toBe(22 * 1024 * 1024);
  });
});

