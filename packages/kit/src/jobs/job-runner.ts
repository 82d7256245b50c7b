import type { Logger } from "../logging/logger";

/** A job taken by this runner: its workspace, id, and how many times it has been claimed. */
export interface ClaimedJob {
  workspaceId: string;
  id: string;
  attempts: number;
}

/** One kind of background job (an import, an export): how to claim, run and fail one. */
export interface JobKind {
  name: string;
  /** Takes the next job, or answers undefined when none waits (see {@link claimJob}). */
  claim(): Promise<ClaimedJob | undefined>;
  /** Runs (or resumes) the job from its checkpoint; throws {@link JobInterrupted} when `shouldStop` turned true between batches. */
  run(job: ClaimedJob, shouldStop: () => boolean): Promise<void>;
  /** Marks the job failed with `message` (and publishes what the service publishes then). */
  fail(job: ClaimedJob, message: string): Promise<void>;
}

export interface JobRunnerOptions {
  /** How often an idle runner looks for jobs, in ms. */
  pollMs: number;
  /** Claims of one job before it is failed. */
  maxAttempts: number;
  logger: Logger;
}

/** The runner is stopping: the job stays running, and its heartbeat going stale hands it to the next runner. */
export class JobInterrupted extends Error {}

/**
 * Runs queued jobs of the given kinds, one at a time per replica, in the order the kinds are
 * listed. Jobs are claimed from PostgreSQL (queued, or running with a stale heartbeat: their runner
 * stopped), so a restart resumes them from their checkpoint; a job claimed more than
 * `maxAttempts` times, or failing with an error, is failed with that error.
 */
export function startJobRunner(kinds: readonly JobKind[], options: JobRunnerOptions): { stop(): Promise<void> } {
  const { logger } = options;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function runOne(kind: JobKind): Promise<boolean> {
    const job = await kind.claim();
    if (!job) return false;
    const fields = { workspace_id: job.workspaceId, job_id: job.id, kind: kind.name };
    try {
      if (job.attempts > options.maxAttempts) throw new Error(`gave up after ${options.maxAttempts} attempts`);
      await kind.run(job, () => stopped);
      logger.info(fields, "job completed");
    } catch (error) {
      if (error instanceof JobInterrupted) {
        logger.info(fields, "job interrupted by shutdown; it resumes from its checkpoint");
        return true;
      }
      logger.error({ err: error, ...fields }, "job failed");
      await kind.fail(job, (error instanceof Error ? error.message : String(error)).slice(0, 1000));
    }
    return true;
  }

  const loop = (async () => {
    while (!stopped) {
      let worked = false;
      try {
        for (const kind of kinds) {
          if (await runOne(kind)) {
            worked = true;
            break;
          }
        }
      } catch (error) {
        logger.error({ err: error }, "job runner iteration failed");
      }
      if (!worked && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
