/** Changes to the per-stage lead counts and value sums, gathered over a transaction and written once. */
export class TotalsDelta {
  private readonly byKey = new Map<string, { pipelineId: string; stageId: string; currency: string; count: number; amount: bigint }>();

  /** A lead of `value` in `currency` entered (+1) or left (-1) the stage. */
  add(pipelineId: string, stageId: string, currency: string, sign: 1 | -1, value: string): void {
    const key = `${stageId}|${currency}`;
    const entry = this.byKey.get(key) ?? { pipelineId, stageId, currency, count: 0, amount: 0n };
    entry.count += sign;
    entry.amount += BigInt(sign) * BigInt(value);
    this.byKey.set(key, entry);
  }

  /** The non-zero changes, in key order: every writer locks counter rows in the same order. */
  entries() {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry)
      .filter((entry) => entry.count !== 0 || entry.amount !== 0n);
  }
}
