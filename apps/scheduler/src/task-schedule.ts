import { ConfigError, jobSchemas, parseRuntimeConfig, TASK_NAMES, type ConfigProblem, type JobConfigs, type TaskName } from '@dlsync/config';
import { SCHEDULED_TASKS, type TaskQueues } from '@dlsync/queue';

/** What the scheduler needs of one task's job entry. */
export type TaskSchedule = Pick<JobConfigs[TaskName], 'enabled' | 'cron'>;

export interface ScheduleOfVersion {
  /** The job entry of every task whose entry in this version is valid. */
  valid: Partial<Record<TaskName, TaskSchedule>>;
  /** Tasks whose entry is invalid: they keep whatever schedule they had. */
  refused: TaskName[];
  /** Every problem of the version, `path: message` (mapping problems included, for the log). */
  problems: string[];
}

const line = (p: ConfigProblem): string => `${p.path}: ${p.message}`;

/**
 * Splits a stored runtime_config into per-task schedules, so that one bad entry (a cron saved
 * before crons were validated, a hand-edited row) costs only its own task: every other task's
 * schedule still follows the new version.
 */
export function schedulesOf(config: unknown, source: string): ScheduleOfVersion {
  try {
    const parsed = parseRuntimeConfig(config, source);
    return { valid: Object.fromEntries(TASK_NAMES.map((t) => [t, parsed.jobs[t]])), refused: [], problems: [] };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const jobs = jobsOf(config);
    const out: ScheduleOfVersion = { valid: {}, refused: [], problems: err.problems.map(line) };
    for (const task of TASK_NAMES) {
      const result = (jobSchemas[task] as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }).safeParse(jobs[task] ?? {});
      if (result.success) out.valid[task] = result.data as TaskSchedule;
      else out.refused.push(task);
    }
    return out;
  }
}

function jobsOf(config: unknown): Record<string, unknown> {
  const jobs = config && typeof config === 'object' ? (config as { jobs?: unknown }).jobs : undefined;
  return jobs && typeof jobs === 'object' && !Array.isArray(jobs) ? (jobs as Record<string, unknown>) : {};
}

export type TaskChange = 'upserted' | 'unchanged' | 'removed' | 'absent';

/**
 * Makes one task's job scheduler match its entry: enabled → upserted with its cron (left alone
 * when the cron is already in force, so next run times are not reset), disabled → removed.
 * Manual-only tasks are never scheduled. The scheduler id is the task name, so any number of
 * schedulers may reconcile at once.
 */
export async function reconcileTaskSchedule(queues: TaskQueues, task: TaskName, schedule: TaskSchedule): Promise<TaskChange> {
  const queue = queues[task];
  const existing = await queue.getJobScheduler(task);
  if (!schedule.enabled || !SCHEDULED_TASKS.includes(task)) {
    return existing && (await queue.removeJobScheduler(task)) ? 'removed' : 'absent';
  }
  if (existing?.pattern === schedule.cron) return 'unchanged';
  await queue.upsertJobScheduler(task, { pattern: schedule.cron }, { name: task, data: { trigger: 'schedule' } });
  return 'upserted';
}
