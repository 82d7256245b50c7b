import { grants, intersectPermissions, parsePermission } from "./permission";

describe("grants", () => {
  test.each<[string, readonly string[], string, boolean]>([
    ["the exact permission", ["tags:read"], "tags:read", true],
    ["write implies read", ["tags:write"], "tags:read", true],
    ["manage implies write", ["tags:manage"], "tags:write", true],
    ["manage implies read", ["tags:manage"], "tags:read", true],
    ["read does not imply write", ["tags:read"], "tags:write", false],
    ["write does not imply manage", ["tags:write"], "tags:manage", false],
    ["another service's manage", ["inbox:manage"], "tags:read", false],
    ["a service whose name starts the same", ["tag:manage"], "tags:read", false],
    ["one of several", ["inbox:read", "tags:write"], "tags:write", true],
    ["* (owner) grants any permission", ["*"], "crm:manage", true],
    ["* grants *", ["*"], "*", true],
    ["only * grants *", ["tags:manage", "inbox:manage"], "*", false],
    ["nothing held", [], "tags:read", false],
    ["a malformed held entry grants nothing", ["tags:*", "tags", "Tags:read", "tags:read "], "tags:read", false],
    ["a malformed need is never granted, not even by *", ["*"], "tags:delete", false],
    ["an empty need is never granted", ["*"], "", false],
    ["a kebab-case service", ["api-tokens:manage"], "api-tokens:read", true],
  ])("%s", (_, held, needed, expected) => {
    expect(grants(held, needed)).toBe(expected);
  });
});

describe("parsePermission", () => {
  test.each([
    ["tags:read", { service: "tags", level: "read" }],
    ["api-tokens:manage", { service: "api-tokens", level: "manage" }],
    ["*", undefined],
    ["tags:admin", undefined],
    [":read", undefined],
    ["tags:read:extra", undefined],
  ])("%s", (value, expected) => {
    expect(parsePermission(value)).toEqual(expected);
  });
});

describe("intersectPermissions", () => {
  const services = ["tags", "inbox", "crm"];
  const needs = ["*", ...services.flatMap((service) => ["read", "write", "manage"].map((level) => `${service}:${level}`))];

  test.each<[string, readonly string[], readonly string[], readonly string[]]>([
    ["owner narrowed by scopes", ["*"], ["tags:write", "inbox:read"], ["tags:write", "inbox:read"]],
    ["scopes wider than the role", ["tags:read"], ["tags:manage", "crm:read"], ["tags:read"]],
    ["both *", ["*"], ["*"], ["*"]],
    ["nothing in common", ["tags:manage"], ["inbox:manage"], []],
    ["no scopes", ["*"], [], []],
  ])("%s", (_, role, scopes, expected) => {
    const result = intersectPermissions(role, scopes);
    expect([...result].sort()).toEqual([...expected].sort());
    // The defining property: granted by the result exactly when granted by both.
    for (const need of needs) {
      expect([need, grants(result, need)]).toEqual([need, grants(role, need) && grants(scopes, need)]);
    }
  });
});
