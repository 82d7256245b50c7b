import { camelToSnake } from "./case";

/**
 * AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
 * without one, every top-level field given a non-default value is written.
 */
export function fieldsToUpdate(mask: string[] | undefined, given: Record<string, unknown>): string[] {
  if (mask && mask.length > 0) return mask;
  return Object.entries(given)
    .filter(([, value]) => !(value === "" || value === false || value === 0 || value === undefined || value === null || (Array.isArray(value) && value.length === 0)))
    .map(([key]) => camelToSnake(key));
}
