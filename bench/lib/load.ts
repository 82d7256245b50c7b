import { summarize, type RunStats } from "./latency";

/**
 * Sends `requests` calls of `send(i)` (i = 0 … requests-1) from `concurrency` workers, each sending
 * its next call as soon as its previous one answered (a closed loop: the offered load adapts to
 * the server, so queueing in the client never inflates the latencies). Any failed call fails the
 * run: a benchmark that silently counts errors as fast answers measures nothing.
 */
export async function runClosedLoop(requests: number, concurrency: number, send: (i: number) => Promise<unknown>): Promise<RunStats> {
  const latenciesMs = new Float64Array(requests);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests; i = next++) {
      const began = process.hrtime.bigint();
      await send(i);
      latenciesMs[i] = Number(process.hrtime.bigint() - began) / 1e6;
    }
  };
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return summarize(latenciesMs, Number(process.hrtime.bigint() - began) / 1e6);
}

/** A fixed-rate run: the {@link RunStats} of every request sent, plus how well the schedule was kept. */
export interface OpenLoopStats extends RunStats {
  /** The rate asked for, in requests per second. */
  offeredRate: number;
  /** Requests the schedule held (`rate * durationMs / 1000`), and how many were sent. */
  scheduled: number;
  sent: number;
  /** True when the backlog reached its bound and the rest of the schedule was dropped: the rate is over capacity. */
  stoppedEarly: boolean;
  /** How late the scheduler sent, behind each request's slot: mean and worst, in ms (a busy event loop shows here). */
  meanSendLagMs: number;
  maxSendLagMs: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
}

/** Options of {@link runOpenLoop}. */
export interface OpenLoopOptions {
  /**
   * The most requests in flight; when a slot comes with this many outstanding, no more are sent and
   * the run ends once they are answered (`stoppedEarly`). It bounds an over-capacity run's length;
   * unbounded by default.
   */
  maxBacklog?: number;
}

/**
 * Sends `send(i)` at a fixed `rate` (requests per second) for `durationMs`, whatever the answers
 * do: an open loop, the arrival pattern of many independent clients. Request `i` is due at
 * `start + i / rate`; its latency runs from that slot, not from when it actually left, so a slow
 * answer or a busy event loop that delays later sends adds to their latencies instead of being
 * hidden (no coordinated omission). `throughput` is what was achieved: completed requests over
 * the time from the first slot to the last answer. A run that hits `maxBacklog` stops sending: its
 * figures cover the requests sent, a lower bound of what the whole schedule would have seen. Any
 * failed call fails the run, as in {@link runClosedLoop}.
 */
export function runOpenLoop(rate: number, durationMs: number, send: (i: number) => Promise<unknown>, options: OpenLoopOptions = {}): Promise<OpenLoopStats> {
  if (!(rate > 0)) throw new Error(`rate must be positive, got ${rate}`);
  const scheduled = Math.max(1, Math.round((rate * durationMs) / 1000));
  const maxBacklog = options.maxBacklog ?? Infinity;
  const intervalNs = 1e9 / rate;
  const latenciesMs = new Float64Array(scheduled);
  return new Promise((resolve, reject) => {
    const start = Number(process.hrtime.bigint());
    let next = 0;
    let planned = scheduled; // lowered to `next` when the run stops early
    let completed = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let lagSumMs = 0;
    let maxLagMs = 0;
    let failed = false;
    let lastDone = start;
    const finish = () =>
      resolve({
        ...summarize(latenciesMs.subarray(0, planned), (lastDone - start) / 1e6),
        offeredRate: rate,
        scheduled,
        sent: planned,
        stoppedEarly: planned < scheduled,
        meanSendLagMs: lagSumMs / planned,
        maxSendLagMs: maxLagMs,
        maxInFlight,
      });
    const fire = (i: number, due: number, now: number) => {
      const lagMs = (now - due) / 1e6;
      lagSumMs += lagMs;
      if (lagMs > maxLagMs) maxLagMs = lagMs;
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      send(i).then(
        () => {
          if (failed) return;
          const done = Number(process.hrtime.bigint());
          latenciesMs[i] = (done - due) / 1e6;
          lastDone = done;
          inFlight--;
          if (++completed === planned && next === planned) finish();
        },
        (error: unknown) => {
          if (failed) return;
          failed = true;
          reject(error);
        },
      );
    };
    // Timers fire at best every millisecond: each tick sends every request whose slot has come,
    // then sleeps until the next slot. No busy polling: the servers share this thread.
    const tick = () => {
      if (failed) return;
      const now = Number(process.hrtime.bigint());
      while (next < planned && start + next * intervalNs <= now) {
        if (inFlight >= maxBacklog) {
          planned = next; // over capacity: drop the rest of the schedule, wait for what is out
          return;
        }
        const i = next++;
        fire(i, start + i * intervalNs, now);
      }
      if (next < planned) setTimeout(tick, Math.max(0, (start + next * intervalNs - Number(process.hrtime.bigint())) / 1e6));
    };
    tick();
  });
}
