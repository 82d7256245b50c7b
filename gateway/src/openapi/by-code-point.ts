/**
 * Code-point order for `Array.prototype.sort`, independent of the locale, so that generated
 * documents are byte-for-byte stable across machines.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
