import { ValidationError } from "@velaflows/kit";
import type { TagEntity } from "../persistence/tag.entity";

/** The colour of a tag created without one (Tailwind gray-500). */
export const DEFAULT_TAG_COLOR = "#6b7280";

/** Trims and NFC-normalises a tag name; rejects names that are blank once trimmed. */
export function cleanTagName(name: string, path = "name"): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

/** The key names are unique by: "VIP", " vip " and "Vip" are the same tag. */
export function tagNameKey(cleanedName: string): string {
  return cleanedName.toLowerCase();
}

/** Colours are stored lower-case so "#ABC" and "#abc" compare equal. */
export function cleanColor(color: string): string {
  return color === "" ? DEFAULT_TAG_COLOR : color.toLowerCase();
}

/** Entity types without duplicates, in a stable order. */
export function cleanEntityTypes(types: readonly string[]): string[] {
  return [...new Set(types)].sort();
}

/** True when the tag may be attached to entities of `entityType`. */
export function appliesTo(tag: Pick<TagEntity, "entityTypes">, entityType: string): boolean {
  return tag.entityTypes.length === 0 || tag.entityTypes.includes(entityType);
}

/**
 * Refuses to attach tags restricted to other entity types, naming the request path of the entity
 * type that does not fit.
 */
export function assertTagsApply(tags: readonly TagEntity[], entities: readonly { entityType: string }[], pathOf: (index: number) => string): void {
  const violations = [];
  for (const [index, entity] of entities.entries()) {
    const refused = tags.filter((tag) => !appliesTo(tag, entity.entityType));
    if (refused.length > 0) {
      violations.push({ path: pathOf(index), message: `tag ${refused.map((t) => `"${t.name}"`).join(", ")} does not apply to ${entity.entityType}` });
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
}
