import { QueueEvents, type Job, type Queue } from 'bullmq';
import { makeRedisConnection, type JobDataInput } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';

export type JobOutcome =
  | { state: 'completed'; report: Report }
  | { state: 'failed'; reason: string; attempts: number }
  | { state: 'timeout'; current: string };

export interface WaitForJobOptions {
  /** Told about state changes and progress, one human line each. */
  onEvent?: (line: string) => void;
  /** Give up waiting after this long; the job itself goes on. (Default: no limit) */
  timeoutMs?: number;
}

export interface JobWatch {
  /** Resolves when `job` completes, finally fails (after its retries) or the timeout passes. */
  wait(job: Job<JobDataInput, Report>, options?: WaitForJobOptions): Promise<JobOutcome>;
  close(): Promise<void>;
}

/**
 * Subscribes to a queue's events before the job is added, so no progress is missed. Uses
 * its own connection: QueueEvents blocks on XREAD.
 */
export async function watchQueue(queue: Queue<JobDataInput, Report>, redisUrl: string): Promise<JobWatch> {
  const connection = makeRedisConnection(redisUrl);
  const events = new QueueEvents(queue.name, { connection, prefix: queue.opts.prefix });
  const close = async (): Promise<void> => {
    await events.close();
    connection.disconnect();
  };
  try {
    await events.waitUntilReady();
  } catch (err) {
    await close();
    throw err;
  }
  return {
    async wait(job, options = {}) {
      const id = job.id!;
      const say = options.onEvent ?? (() => undefined);
      const mine = <T extends { jobId: string }>(fn: (e: T) => void) => (e: T) => {
        if (e.jobId === id) fn(e);
      };
      const onActive = mine(() => say(`job ${id} running`));
      const onProgress = mine((e: { jobId: string; data: unknown }) => say(`job ${id} progress ${JSON.stringify(e.data)}%`));
      const onDelayed = mine((e: { jobId: string; delay: number }) => {
        void queue.getJob(id).then((j) =>
          say(
            `job ${id} attempt ${j?.attemptsMade ?? '?'} failed${j?.failedReason ? `: ${j.failedReason}` : ''}; ` +
              `retrying at ${new Date(Number(e.delay)).toISOString()}`,
          ),
        );
      });
      events.on('active', onActive);
      events.on('progress', onProgress);
      events.on('delayed', onDelayed);
      try {
        const report = await job.waitUntilFinished(events, options.timeoutMs);
        return { state: 'completed', report };
      } catch (err) {
        const current = await queue.getJob(id);
        const state = current ? await current.getState() : 'unknown';
        if (state === 'failed') {
          return { state: 'failed', reason: current?.failedReason ?? (err as Error).message, attempts: current?.attemptsMade ?? 0 };
        }
        return { state: 'timeout', current: state };
      } finally {
        events.off('active', onActive);
        events.off('progress', onProgress);
        events.off('delayed', onDelayed);
      }
    },
    close,
  };
}
