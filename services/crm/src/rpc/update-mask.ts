/**
 * AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
 * without one, every top-level field given a non-default value is written.
 */
export function fieldsToUpdate(mask: string[] | undefined, given: object): string[] {
  if (mask && mask.length > 0) return mask;
  return Object.entries(given)
    .filter(([, value]) => !(value === "" || value === "0" || value === false || value === 0 || value == null || (Array.isArray(value) && value.length === 0)))
    .map(([key]) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

/** Who acts: the user, else the API token. */
export function actorOf(context: { userId?: string; apiTokenId?: string }): string | undefined {
  return context.userId ?? context.apiTokenId;
}
