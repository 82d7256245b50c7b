import { ScalarType, type DescEnum, type DescField } from "@bufbuild/protobuf";

/** A path or query value that does not fit its field: the gateway answers 400 naming the parameter. */
export class ParameterError extends Error {
  override name = "ParameterError";
  constructor(
    readonly parameter: string,
    readonly expected: string,
  ) {
    super(`Invalid value for parameter "${parameter}": expected ${expected}`);
  }
}

const INTEGER = /^[+-]?\d+$/;
const UNSIGNED = /^\+?\d+$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

/**
 * Converts the text of a path or query parameter to the proto3 JSON value of a scalar or enum
 * field, checking it so a bad value is refused here with the parameter's name rather than deep in
 * the JSON decoder. Well-known wrapper and message types are handled by the caller.
 */
export function textToJsonValue(field: DescField, text: string, parameter: string): unknown {
  if (field.enum) return enumValue(field.enum, text, parameter);
  const scalar = field.scalar ?? ScalarType.STRING;
  return scalarValue(scalar, text, parameter);
}

/** As {@link textToJsonValue}, for a bare scalar type (wrapper messages in query strings). */
export function scalarValue(scalar: ScalarType, text: string, parameter: string): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return text;
    case ScalarType.BOOL:
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      throw new ParameterError(parameter, "true or false");
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32: {
      const n = INTEGER.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new ParameterError(parameter, "a 32-bit integer");
      return n;
    }
    case ScalarType.UINT32:
    case ScalarType.FIXED32: {
      const n = UNSIGNED.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n > UINT32_MAX) throw new ParameterError(parameter, "an unsigned 32-bit integer");
      return n;
    }
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      if (!INTEGER.test(text) || !fitsInt64(BigInt(text), true)) throw new ParameterError(parameter, "a 64-bit integer");
      return text;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      if (!UNSIGNED.test(text) || !fitsInt64(BigInt(text), false)) throw new ParameterError(parameter, "an unsigned 64-bit integer");
      return text;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      if (text === "NaN" || text === "Infinity" || text === "-Infinity") return text;
      const n = text.trim() === "" ? NaN : Number(text);
      if (!Number.isFinite(n)) throw new ParameterError(parameter, "a number");
      return n;
    }
    case ScalarType.BYTES:
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new ParameterError(parameter, "base64 bytes");
      return text;
  }
}

function enumValue(desc: DescEnum, text: string, parameter: string): unknown {
  const byName = desc.values.find((v) => v.name === text);
  if (byName) return byName.name;
  if (INTEGER.test(text)) {
    const byNumber = desc.values.find((v) => v.number === Number(text));
    if (byNumber) return byNumber.name;
  }
  throw new ParameterError(parameter, `one of ${desc.values.map((v) => v.name).join(", ")}`);
}

function fitsInt64(value: bigint, signed: boolean): boolean {
  return signed ? value >= -(2n ** 63n) && value < 2n ** 63n : value >= 0n && value < 2n ** 64n;
}
