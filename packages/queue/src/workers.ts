import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import { runTask, type Report, type RunnerDeps } from '@dlsync/runner';
import { DEFAULT_JOB_OPTIONS, DEFAULT_QUEUE_PREFIX, QUEUE_NAMES, type JobDataInput } from './definitions.js';
import { usageFailureOf } from './failure-kind.js';
import { assertRunRequest, RunRequestError } from './run-request.js';
import { assertQueueRegistry } from './registry-check.js';

export interface TaskWorkersOptions {
  connection: ConnectionOptions;
  /** (Default: `dlsync`) */
  prefix?: string;
  /** Queues to serve. (Default: every task) */
  tasks?: TaskName[];
  /** Everything runTask needs except the per-job signal and progress. */
  runner: Omit<RunnerDeps, 'signal' | 'onProgress'>;
  logger: Logger;
  /** On close, how long a running job may take to finish before it is aborted. (Default: 30000) */
  shutdownGraceMs?: number;
  /** A job whose worker vanished (kill -9) is re-queued this many times. (Default: 5) */
  maxStalledCount?: number;
  /** Told about every finished run and every job that failed for good (fleet-wide metrics). (Default: none) */
  recorder?: {
    runFinished(report: Report, finishedAt: Date): Promise<void>;
    jobFailed(task: TaskName): Promise<void>;
  };
}

export interface TaskWorkers {
  workers: Worker<JobDataInput, Report>[];
  /** Finishes the current jobs (aborting them after the grace period) and closes. */
  close(): Promise<void>;
}

/** A run that failed for infrastructure reasons fails its job, so BullMQ retries it. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
  constructor(readonly report: Report) {
    super(`${report.task} run ${report.runId} failed: ${report.error ?? 'unknown error'}`);
  }
}

/** One BullMQ worker per task queue; each job goes through the runner. */
export function startTaskWorkers(options: TaskWorkersOptions): TaskWorkers {
  assertQueueRegistry(options.runner.tasks);
  const tasks = options.tasks ?? [...TASK_NAMES];
  const shutdown = new AbortController();

  const processor = (task: TaskName) => async (job: Job<JobDataInput, Report>): Promise<Report> => {
    let data;
    try {
      data = assertRunRequest(task, job.data);
    } catch (err) {
      // Bad input will not get better on retry.
      if (err instanceof RunRequestError) throw new UnrecoverableError(`bad job input: ${err.message}`);
      throw err;
    }
    const { requestedBy: _requestedBy, ...input } = data;
    const report = await runTask(task, input, {
      ...options.runner,
      signal: shutdown.signal,
      onProgress: (p) => void job.updateProgress(p).catch(() => undefined),
    });
    await options.recorder?.runFinished(report, new Date()).catch(() => undefined);
    options.logger.info('job done', {
      task,
      job_id: job.id,
      run_id: report.runId,
      status: report.status,
      counts: report.counts,
      duration_ms: report.durationMs,
    });
    if (report.status === 'failed') {
      const usage = usageFailureOf(report);
      // A usage failure (bad config, conflicting mappings) fails the same way on every attempt.
      if (usage) throw new UnrecoverableError(`${usage}: ${report.error ?? 'run failed'} (run ${report.runId}; not retried)`);
      throw new RunFailedError(report);
    }
    return report;
  };

  const workers = tasks.map(
    (task) =>
      new Worker<JobDataInput, Report>(QUEUE_NAMES[task], processor(task), {
        connection: options.connection,
        prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
        concurrency: 1,
        maxStalledCount: options.maxStalledCount ?? 5,
        // Long runs keep their lock renewed; a dead worker's job is re-queued after ~lockDuration.
        lockDuration: 30_000,
      }),
  );
  for (const w of workers) {
    w.on('failed', (job, err) => {
      if (logJobFailure(options.logger, w.name, job, err)) void options.recorder?.jobFailed(w.name as TaskName).catch(() => undefined);
    });
    w.on('error', (err) => options.logger.error('worker error', { queue: w.name, error: err.message }));
  }

  let closing: Promise<void> | undefined;
  return {
    workers,
    close() {
      closing ??= (async () => {
        const timer = setTimeout(() => shutdown.abort(new Error('worker shutting down')), options.shutdownGraceMs ?? 30_000);
        timer.unref();
        await Promise.all(workers.map((w) => w.close()));
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/**
 * Logs one failed attempt with the task, which attempt of how many it was and whether BullMQ
 * will retry it, so an intermediate failure is not mistaken for the final one.
 * @returns whether this was the job's final failure
 */
function logJobFailure(logger: Logger, task: string, job: Job<JobDataInput, Report> | undefined, err: Error): boolean {
  const attempts = job?.opts.attempts ?? DEFAULT_JOB_OPTIONS.attempts ?? 1;
  const attempt = job?.attemptsMade ?? 0;
  const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || attempt >= attempts;
  logger[final ? 'error' : 'warn'](final ? 'job failed' : 'job attempt failed, will retry', {
    task,
    job_id: job?.id,
    attempt,
    attempts,
    will_retry: !final,
    error: err.message,
  });
  return final;
}
