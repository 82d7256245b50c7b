/**
 * The canonical text of a JSON document, or undefined when `text` is not JSON: whitespace removed,
 * object members sorted by key (UTF-16 order; duplicates keep their relative order), strings
 * re-encoded the way JSON.stringify writes them ("\u0041" becomes "A"). Numbers keep their
 * exact text: parsing them would make 9007199254740993 equal 9007199254740992 (int64 fields may
 * be sent as numbers), and then a changed request could replay another's response. So `1.0` and
 * `1` differ, which at worst refuses a reformatted retry as a mismatch.
 *
 * Documents with more than `maxDepth` (64) nested objects and arrays are treated as not JSON.
 */
export function canonicalJson(text: string, maxDepth = 64): string | undefined {
  let pos = 0;

  const skipSpace = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r")) pos++;
  };
  const fail = () => new NotJson();
  /** The token matching a sticky pattern at `pos`, consumed. */
  const read = (pattern: RegExp): string => {
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (!match) throw fail();
    pos = pattern.lastIndex;
    return match[0];
  };
  // A linear scan to the closing quote (a regular expression here recursed once per character and
  // overflowed the stack on multi-megabyte strings), then JSON.parse of just that slice.
  const readString = (): string => {
    const start = pos;
    if (text[pos++] !== '"') throw fail();
    for (;;) {
      if (pos >= text.length) throw fail();
      const code = text.charCodeAt(pos);
      if (code === 0x22) break; // closing quote
      if (code < 0x20) throw fail(); // raw control characters are not allowed in JSON strings
      if (code === 0x5c) {
        const escape = text[pos + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) throw fail();
          pos += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          pos += 2;
        } else {
          throw fail();
        }
        continue;
      }
      pos++;
    }
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const readValue = (depth: number): string => {
    skipSpace();
    const c = text[pos];
    if ((c === "{" || c === "[") && depth >= maxDepth) throw fail();
    if (c === "{") {
      pos++;
      const members: [string, string][] = [];
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return "{}";
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') throw fail();
        const key = readString();
        skipSpace();
        if (text[pos++] !== ":") throw fail();
        members.push([key, readValue(depth + 1)]);
        skipSpace();
        const next = text[pos++];
        if (next === "}") break;
        if (next !== ",") throw fail();
      }
      members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
    }
    if (c === "[") {
      pos++;
      const items: string[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return "[]";
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skipSpace();
        const next = text[pos++];
        if (next === "]") break;
        if (next !== ",") throw fail();
      }
      return `[${items.join(",")}]`;
    }
    if (c === '"') return JSON.stringify(readString());
    return read(LITERAL);
  };

  try {
    const value = readValue(0);
    skipSpace();
    return pos === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof NotJson) return undefined;
    throw error;
  }
}

class NotJson extends Error {}

// A JSON number, true, false or null.
const LITERAL = /(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/y;
