import { ValidationError } from "../errors/service-error";

/**
 * AIP-134 for an Update RPC: the mask names the fields to write (the gateway fills it from the
 * JSON body's keys), and must name only `updatable` ones (else 422 on `updateMask`); without a
 * mask, every updatable field the request sets (per `isSet`: a non-default value) is written.
 */
export function fieldsToUpdate<F extends string>(mask: readonly string[] | undefined, updatable: readonly F[], isSet: (field: F) => boolean): F[] {
  if (!mask || mask.length === 0) return updatable.filter(isSet);
  const unknown = mask.filter((path) => !(updatable as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${updatable.join(", ")}` }]);
  }
  return [...mask] as F[];
}

/**
 * The paths to write of an update whose domain takes nested paths itself ("identities.whatsapp"):
 * the mask as given, else the snake_case name of every top-level field of `given` with a
 * non-default value.
 */
export function maskOrSetPaths(mask: readonly string[] | undefined, given: object): string[] {
  if (mask && mask.length > 0) return [...mask];
  return Object.entries(given)
    .filter(([, value]) => !isDefault(value))
    .map(([key]) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

// proto3's default values as ts-proto gives them (int64 as "0" strings, unset messages undefined).
function isDefault(value: unknown): boolean {
  return value === "" || value === "0" || value === false || value === 0 || value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}
