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
