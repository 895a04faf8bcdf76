import type { Job, JobState } from 'bullmq';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { JobDataInput, TaskQueues } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';

/** Job states the runs API lists. */
export const RUN_STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One job of a task queue as the API shows it. */
export interface RunView {
  task: TaskName;
  jobId: string;
  state: JobState | 'unknown';
  data: JobDataInput;
  attemptsMade: number;
  /** When the job was added (ISO). */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The job's return value: the run's Report (completed jobs only). */
  report: Report | null;
  failedReason: string | null;
}

type TaskJob = Job<JobDataInput, Report>;

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export function describeRun(task: TaskName, job: TaskJob, state: JobState | 'unknown'): RunView {
  return {
    task,
    jobId: job.id ?? '',
    state,
    data: job.data,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    startedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
    report: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
  };
}

/** Time of the job's latest change: what "newest first" sorts by. */
const lastActivity = (r: RunView) => r.finishedAt ?? r.startedAt ?? r.createdAt;

export interface ListRunsOptions {
  /** (Default: every task) */
  tasks?: readonly TaskName[];
  /** (Default: every state in RUN_STATES) */
  states?: readonly RunState[];
  limit: number;
}

/**
 * Jobs across task queues, most recent activity first. Each (queue, state) list is read newest
 * first and cut at `limit`, so the merge sees every candidate for the first `limit` places.
 */
export async function listRuns(queues: TaskQueues, options: ListRunsOptions): Promise<RunView[]> {
  const tasks = options.tasks ?? TASK_NAMES;
  const states = options.states ?? RUN_STATES;
  const lists = await Promise.all(
    tasks.flatMap((task) =>
      states.map(async (state) => {
        const jobs = (await queues[task].getJobs([state], 0, options.limit - 1, false)) as TaskJob[];
        return jobs.map((job) => describeRun(task, job, state));
      }),
    ),
  );
  return lists
    .flat()
    .sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)) || b.jobId.localeCompare(a.jobId))
    .slice(0, options.limit);
}

export async function getRun(queues: TaskQueues, task: TaskName, jobId: string): Promise<RunView | undefined> {
  const job = (await queues[task].getJob(jobId)) as TaskJob | undefined;
  if (!job) return undefined;
  const state = (await job.getState()) as JobState | 'unknown';
  return describeRun(task, job, state);
}

/** Per task: its newest finished run and how many runs are queued or running now. */
export interface TaskRunSummary {
  task: TaskName;
  last: RunView | null;
  pending: number;
}

export async function summarizeTasks(queues: TaskQueues): Promise<TaskRunSummary[]> {
  return Promise.all(
    TASK_NAMES.map(async (task) => {
      const [last, counts] = await Promise.all([
        listRuns(queues, { tasks: [task], states: ['completed', 'failed'], limit: 1 }),
        queues[task].getJobCounts('active', 'waiting', 'prioritized'),
      ]);
      const pending = Object.values(counts).reduce((a, b) => a + b, 0);
      return { task, last: last[0] ?? null, pending };
    }),
  );
}
