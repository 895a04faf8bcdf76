import type { Job } from 'bullmq';
import { MANUAL_ONLY_TASKS, TASK_NAMES, type RuntimeConfig, type TaskName } from '@dlsync/config';
import { cronIntervalMs, listSchedulers, type JobDataInput, type TaskQueues } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import { readRunFigures } from '@dlsync/services';
import type { AdminContext } from '../context.js';
import { listRuns, type RunView } from '../runs.js';

/**
 * A task that has not succeeded within this many of its cron intervals stands out on the
 * overview: one missed run is noise, three in a row is an outage or a stuck scheduler.
 */
export const STALE_AFTER_INTERVALS = 3;

/** Finished runs read per task to find the last success and where a failure streak began. */
const HISTORY = 20;

/** What a task is doing now, most urgent first. */
export type TaskState =
  | { kind: 'running'; attempt: number; attempts: number; since: Date | null }
  | { kind: 'retrying'; attempt: number; attempts: number; lastError: string; nextTry: Date | null }
  | { kind: 'failing'; since: Date; lastError: string; failures: number }
  | { kind: 'ok'; finishedAt: Date | null; status: string }
  | { kind: 'never run' };

export interface TaskStatus {
  task: TaskName;
  enabled: boolean;
  manualOnly: boolean;
  cron: string | null;
  nextRun: Date | null;
  lastSuccess: Date | null;
  state: TaskState;
  /** Enabled, scheduled, and no success within STALE_AFTER_INTERVALS intervals. */
  stale: boolean;
  /** Waiting or running jobs. */
  queued: number;
  /** Newest job, for the Bull Board link. */
  lastJobId: string | null;
  /** ok / skipped / failed of the newest finished run. */
  lastCounts: Report['counts'] | null;
}

type TaskJob = Job<JobDataInput, Report>;

/** Inputs of {@link describeTaskState}, read from the queue. */
export interface TaskQueueFacts {
  active?: TaskJob;
  /** A delayed job that already failed at least once: waiting for its next attempt. */
  retrying?: TaskJob;
  /** Finished runs, newest first. */
  finished: RunView[];
}

const attemptsOf = (job: TaskJob): number => job.opts.attempts ?? 1;
const isFailure = (r: RunView): boolean => r.state === 'failed' || r.report?.status === 'failed';
const isSuccess = (r: RunView): boolean => r.state === 'completed' && (r.report?.status === 'ok' || r.report?.status === 'partial');

/**
 * The task's state from its queue: a running job wins, then a job waiting to retry (attempt
 * n of m with the error that made it retry), then a failure streak among the finished runs
 * ("failing since" its first failure), then the newest finished run.
 */
export function describeTaskState(facts: TaskQueueFacts): TaskState {
  if (facts.active) {
    const job = facts.active;
    return { kind: 'running', attempt: job.attemptsMade + 1, attempts: attemptsOf(job), since: job.processedOn ? new Date(job.processedOn) : null };
  }
  if (facts.retrying) {
    const job = facts.retrying;
    // The backoff delay counts from the failed attempt, which started at processedOn.
    const nextTry = job.delay ? new Date(Math.max(job.timestamp, job.processedOn ?? 0) + job.delay) : null;
    return { kind: 'retrying', attempt: job.attemptsMade + 1, attempts: attemptsOf(job), lastError: job.failedReason || 'unknown error', nextTry };
  }
  const newest = facts.finished[0];
  if (!newest) return { kind: 'never run' };
  if (isFailure(newest)) {
    let streak = 0;
    while (streak < facts.finished.length && isFailure(facts.finished[streak]!)) streak++;
    const first = facts.finished[streak - 1]!;
    return {
      kind: 'failing',
      since: new Date(first.finishedAt ?? first.createdAt),
      lastError: newest.failedReason ?? newest.report?.error ?? 'unknown error',
      failures: streak,
    };
  }
  return { kind: 'ok', finishedAt: newest.finishedAt ? new Date(newest.finishedAt) : null, status: newest.report?.status ?? newest.state };
}

/** True when an enabled, scheduled task has not succeeded within `STALE_AFTER_INTERVALS` intervals. */
export function isStale(options: { enabled: boolean; cron: string | null; lastSuccess: Date | null; since: Date | null; now: Date }): boolean {
  if (!options.enabled || !options.cron) return false;
  const interval = cronIntervalMs(options.cron, options.now);
  if (interval === undefined) return false;
  // Never succeeded: count from when the config took effect, so a fresh fleet is not red at once.
  const from = options.lastSuccess ?? options.since;
  if (!from) return false;
  return options.now.getTime() - from.getTime() > STALE_AFTER_INTERVALS * interval;
}

async function queueFacts(queues: TaskQueues, task: TaskName): Promise<TaskQueueFacts & { queued: number; newestId: string | null }> {
  const queue = queues[task];
  const [active, delayed, finished, counts] = await Promise.all([
    queue.getJobs(['active'], 0, 0, false) as Promise<TaskJob[]>,
    queue.getJobs(['delayed'], 0, 49, false) as Promise<TaskJob[]>,
    listRuns(queues, { tasks: [task], states: ['completed', 'failed'], limit: HISTORY }),
    queue.getJobCounts('active', 'waiting', 'prioritized'),
  ]);
  const retrying = delayed.find((j) => j.attemptsMade > 0);
  const newestId = active[0]?.id ?? retrying?.id ?? finished[0]?.jobId ?? null;
  return {
    ...(active[0] ? { active: active[0] } : {}),
    ...(retrying ? { retrying } : {}),
    finished,
    queued: Object.values(counts).reduce((a, b) => a + b, 0),
    newestId,
  };
}

/** Per task: enabled, cron, next run, last success (fleet-wide), what it is doing now and whether it is overdue. */
export async function loadTaskStatuses(
  ctx: Pick<AdminContext, 'queues' | 'redis' | 'prefix'>,
  live: { config: RuntimeConfig | undefined; updatedAt: string | null },
  now: Date,
): Promise<TaskStatus[]> {
  const [schedulers, figures, facts] = await Promise.all([
    listSchedulers(ctx.queues),
    readRunFigures(ctx.redis, ctx.prefix),
    Promise.all(TASK_NAMES.map((t) => queueFacts(ctx.queues, t))),
  ]);
  const configSince = live.updatedAt ? new Date(live.updatedAt) : null;
  return TASK_NAMES.map((task, i) => {
    const f = facts[i]!;
    const job = live.config?.jobs[task];
    const manualOnly = MANUAL_ONLY_TASKS.includes(task);
    const enabled = !manualOnly && (job?.enabled ?? false);
    const cron = manualOnly ? null : (job?.cron ?? null);
    const fromHistory = f.finished.find(isSuccess)?.finishedAt;
    const candidates = [figures.lastSuccess.get(task), fromHistory ? new Date(fromHistory) : undefined].filter((d): d is Date => d !== undefined);
    const lastSuccess = candidates.length ? new Date(Math.max(...candidates.map((d) => d.getTime()))) : null;
    const newestFinished = f.finished[0];
    return {
      task,
      enabled,
      manualOnly,
      cron,
      nextRun: schedulers.find((s) => s.task === task)?.next ?? null,
      lastSuccess,
      state: describeTaskState(f),
      stale: isStale({ enabled, cron, lastSuccess, since: configSince, now }),
      queued: f.queued,
      lastJobId: f.newestId,
      lastCounts: newestFinished?.report?.counts ?? null,
    };
  });
}
