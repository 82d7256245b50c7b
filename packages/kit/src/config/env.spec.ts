import { createEnvReader } from "./env";

describe("createEnvReader", () => {
  describe("string", () => {
    test.each([
      ["a set value", { NAME: "tags" }, undefined, "tags"],
      ["a value with spaces around", { NAME: "  tags \n" }, undefined, "tags"],
      ["the fallback when unset", {}, "fallback", "fallback"],
      ["the fallback when blank", { NAME: "   " }, "fallback", "fallback"],
    ])("returns %s", (_, env, fallback, expected) => {
      expect(createEnvReader(env).string("NAME", fallback)).toBe(expected);
    });

    test("throws naming a missing variable", () => {
      expect(() => createEnvReader({ NAME: "" }).string("NAME")).toThrow("Environment variable NAME is required");
    });
  });

  test("optionalString is undefined when unset or blank", () => {
    const read = createEnvReader({ SET: " x ", BLANK: " " });
    expect([read.optionalString("SET"), read.optionalString("BLANK"), read.optionalString("UNSET")]).toEqual(["x", undefined, undefined]);
  });

  describe("int", () => {
    test.each([
      ["42", undefined, 42],
      [" -7 ", undefined, -7],
      ["0", 5, 0],
      [undefined, 5, 5],
      [undefined, 0, 0],
    ])("%j (fallback %j) → %j", (value, fallback, expected) => {
      expect(createEnvReader({ PORT: value }).int("PORT", fallback)).toBe(expected);
    });

    test.each([["12abc"], ["1.5"], ["0x10"], ["1e3"]])("refuses %j, naming the variable and the value", (value) => {
      expect(() => createEnvReader({ PORT: value }).int("PORT", 1)).toThrow(`Environment variable PORT must be an integer, got "${value}"`);
    });

    test("throws naming a missing variable", () => {
      expect(() => createEnvReader({}).int("PORT")).toThrow("Environment variable PORT is required");
    });
  });

  describe("bool", () => {
    test.each([
      ["true", true],
      ["TRUE", true],
      ["1", true],
      ["yes", true],
      ["false", false],
      ["0", false],
      ["No", false],
    ])("%j → %s", (value, expected) => {
      expect(createEnvReader({ FLAG: value }).bool("FLAG")).toBe(expected);
    });

    test("uses the fallback, even false, when unset", () => {
      expect(createEnvReader({}).bool("FLAG", false)).toBe(false);
      expect(createEnvReader({}).bool("FLAG", true)).toBe(true);
    });

    test("refuses anything else, naming the variable", () => {
      expect(() => createEnvReader({ FLAG: "maybe" }).bool("FLAG")).toThrow('Environment variable FLAG must be true or false, got "maybe"');
      expect(() => createEnvReader({}).bool("FLAG")).toThrow("Environment variable FLAG is required");
    });
  });

  describe("oneOf", () => {
    const LEVELS = ["debug", "info", "warn"] as const;

    test("returns an allowed value or the fallback", () => {
      expect(createEnvReader({ LEVEL: "warn" }).oneOf("LEVEL", LEVELS)).toBe("warn");
      expect(createEnvReader({}).oneOf("LEVEL", LEVELS, "info")).toBe("info");
    });

    test("refuses a value outside the list, naming the variable and the choices", () => {
      expect(() => createEnvReader({ LEVEL: "verbose" }).oneOf("LEVEL", LEVELS)).toThrow(
        'Environment variable LEVEL must be one of debug, info, warn, got "verbose"',
      );
    });

    test("throws naming a missing variable", () => {
      expect(() => createEnvReader({}).oneOf("LEVEL", LEVELS)).toThrow("Environment variable LEVEL is required");
    });
  });
});
