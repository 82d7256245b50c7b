import { createHash } from "node:crypto";
import type { SelectQueryBuilder } from "typeorm";
import type { CustomerFilter } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { CustomerEntity } from "./customer.entity";

/** The most whole words one search word is replaced by; a word that starts more stays a prefix. */
export const MAX_TERM_EXPANSION = 32;

/** Search words and the whole words of the workspace each starts (a word absent here stays a prefix). */
export type TermExpansions = ReadonlyMap<string, readonly string[]>;

/** What a search of one workspace is written with: its lexeme prefix and the expansions of its words. */
export interface SearchScope {
  lexemePrefix: string;
  expansions: TermExpansions;
}

/**
 * The prefix of a workspace's search lexemes: the first 6 hex digits of md5(workspace id) and "/",
 * as `customers.search_lexemes` writes them (see the WorkspaceSearchLexemes migration).
 */
export function searchLexemePrefix(workspaceId: string): string {
  return `${createHash("md5").update(workspaceId).digest("hex").slice(0, 6)}/`;
}

/**
 * The tsquery of a search: every word must match, each as a prefix ("ann smi" finds "Ann Smith"),
 * written as the whole words it starts when the scope's expansions hold them (the index answers
 * those faster, see the SearchTerms migration). Undefined when nothing can match: no words, or a
 * word that starts no word of the workspace. Lexemes are quoted verbatim, and words only ever hold
 * letters and digits (see {@link searchWords}), so the query text can never carry tsquery syntax.
 */
export function searchQuery(search: string, scope: SearchScope): string | undefined {
  const lexeme = (word: string) => `'${scope.lexemePrefix}${word}'`;
  const words = searchWords(search);
  const parts = words.map((word) => {
    const terms = scope.expansions.get(word);
    if (!terms) return `${lexeme(word)}:*`;
    return terms.length > 1 ? `(${terms.map(lexeme).join(" | ")})` : terms.length === 1 ? lexeme(terms[0]!) : undefined;
  });
  return words.length > 0 && parts.every(Boolean) ? parts.join(" & ") : undefined;
}

/**
 * Splits text into search words: on anything that is not a letter or digit, and where ASCII digits
 * meet other characters ("jsmith84" is "jsmith" and "84"). The second split keeps the index's
 * vocabulary small: e-mail local parts such as "brown393713" would otherwise each be a word of
 * their own, and a prefix search ("bro") expands to every word it starts, one index lookup each
 * (tens of milliseconds at a million customers). Migration 1764400000400 holds the same rule.
 */
export function searchWords(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+|(?<=[0-9])(?=[^0-9])|(?<=[^0-9])(?=[0-9])/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
}

/**
 * Adds every condition of `filter` to a query over customers aliased `c` (already scoped to the
 * workspace). Each condition is served by an index: tags by the GIN on tag_ids, custom properties
 * by the GIN (jsonb_path_ops) on custom_properties, search by the GIN on search_vector.
 */
export function applyCustomerFilter(
  query: SelectQueryBuilder<CustomerEntity>,
  filter: Partial<CustomerFilter> | undefined,
  search: SearchScope,
  prefix = "f",
): SelectQueryBuilder<CustomerEntity> {
  if (!filter) return query;
  const p = (name: string) => `${prefix}_${name}`;
  if (filter.tagIds?.length) query.andWhere(`c.tag_ids @> :${p("tags")}::text[]`, { [p("tags")]: filter.tagIds });
  if (filter.anyTagIds?.length) query.andWhere(`c.tag_ids && :${p("anyTags")}::text[]`, { [p("anyTags")]: filter.anyTagIds });
  (filter.customProperties ?? []).forEach((condition, i) => {
    const eq = condition.indexOf("=");
    const key = condition.slice(0, eq);
    const text = condition.slice(eq + 1);
    const forms = [JSON.stringify({ [key]: text })];
    const typed = typedForm(text);
    if (typed !== undefined) forms.push(JSON.stringify({ [key]: typed }));
    // A multi-select holds an array: containment of [value] matches one of its options.
    forms.push(JSON.stringify({ [key]: [text] }));
    query.andWhere(`(${forms.map((_, j) => `c.custom_properties @> :${p(`cp${i}_${j}`)}::jsonb`).join(" OR ")})`, Object.fromEntries(forms.map((form, j) => [p(`cp${i}_${j}`), form])));
  });
  if (filter.ownerId) query.andWhere(`c.owner_id = :${p("owner")}`, { [p("owner")]: filter.ownerId });
  if (filter.source) query.andWhere(`c.source = :${p("source")}`, { [p("source")]: filter.source });
  if (filter.country) query.andWhere(`c.country = :${p("country")}`, { [p("country")]: filter.country });
  if (filter.createdAfter) query.andWhere(`c.created_at >= :${p("createdAfter")}`, { [p("createdAfter")]: filter.createdAfter });
  if (filter.createdBefore) query.andWhere(`c.created_at < :${p("createdBefore")}`, { [p("createdBefore")]: filter.createdBefore });
  if (filter.lastContactAfter) query.andWhere(`c.last_contact_at >= :${p("lastAfter")}`, { [p("lastAfter")]: filter.lastContactAfter });
  if (filter.lastContactBefore) query.andWhere(`c.last_contact_at < :${p("lastBefore")}`, { [p("lastBefore")]: filter.lastContactBefore });
  if (filter.optedOutChannel) query.andWhere(`:${p("optedOut")} = ANY(c.opted_out_channels)`, { [p("optedOut")]: filter.optedOutChannel });
  if (filter.contactableChannel) query.andWhere(`NOT (:${p("contactable")} = ANY(c.opted_out_channels))`, { [p("contactable")]: filter.contactableChannel });
  const tsquery = filter.search ? searchQuery(filter.search, search) : undefined;
  if (filter.search && !tsquery) query.andWhere("false"); // no words, or a word no customer's starts
  if (tsquery) query.andWhere(`c.search_vector @@ :${p("search")}::tsquery`, { [p("search")]: tsquery });
  return query;
}

/**
 * The counter that holds the number of customers matching every one of `filters`, if one does:
 * "" (the workspace's customers) when they set no condition, the tag's id when their only
 * condition is one tag, else undefined (the matches must be counted).
 */
export function counterKeyOf(filters: readonly (Partial<CustomerFilter> | undefined)[]): string | undefined {
  const tags = new Set<string>();
  for (const filter of filters) {
    if (!filter) continue;
    const { tagIds, anyTagIds, customProperties, search, createdAfter, createdBefore, lastContactAfter, lastContactBefore, ...text } = filter;
    if (customProperties?.length || search || createdAfter || createdBefore || lastContactAfter || lastContactBefore) return undefined;
    if (Object.values(text).some(Boolean)) return undefined;
    if ((anyTagIds?.length ?? 0) > 1) return undefined;
    for (const tag of [...(tagIds ?? []), ...(anyTagIds ?? [])]) tags.add(tag);
  }
  if (tags.size > 1) return undefined;
  return tags.size === 1 ? [...tags][0]! : "";
}

function typedForm(text: string): number | boolean | undefined {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.trim() !== "" && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  return undefined;
}
