/**
 * A FIFO lock over the one PGlite session. A connection holds it from its first message until the
 * backend is idle again (ReadyForQuery 'I'): across a whole extended-protocol batch
 * (Parse/Bind/Execute/Sync) and a whole transaction, so no other connection's messages interleave.
 */
export class SessionLock {
  private owner: number | undefined;
  private readonly waiting: { id: number; grant: () => void }[] = [];

  /** Resolves when connection `id` owns the session (at once if it already does). */
  acquire(id: number): Promise<void> {
    if (this.owner === undefined || this.owner === id) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ id, grant }));
  }

  /** Gives the session to the next waiting connection, if `id` owns it. */
  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiting.shift();
    this.owner = next?.id;
    next?.grant();
  }

  /** Drops a closed connection from the queue and releases its ownership. */
  forget(id: number): void {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index >= 0) this.waiting.splice(index, 1);
    this.release(id);
  }
}
