import type { AbortListener, CancelSignal } from "../upstream/upstream-pool";

/**
 * Tells the upstream call that the HTTP client went away before its response was written: the
 * shape of an AbortSignal for its one listener, without the cost of an AbortController (an
 * EventTarget) on every request.
 */
export class ClientDisconnect implements CancelSignal {
  aborted = false;
  private listener: AbortListener | undefined;

  addEventListener(_type: "abort", listener: AbortListener): void {
    this.listener = listener;
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    if (this.listener === listener) this.listener = undefined;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = undefined;
    listener?.handleEvent();
  }
}
