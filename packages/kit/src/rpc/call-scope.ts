import { AsyncLocalStorage } from "node:async_hooks";
import type { CallContext } from "./call-context";

const storage = new AsyncLocalStorage<CallContext>();

/** Runs `fn` with `context` as the current call, so outgoing calls can propagate it. */
export function runInCallScope<T>(context: CallContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The inbound call being handled, when there is one. */
export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}
