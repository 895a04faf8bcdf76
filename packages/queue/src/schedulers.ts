import { getNextMillis } from 'bullmq';
import type { RuntimeConfig, TaskName } from '@dlsync/config';
import { SCHEDULED_TASKS } from './definitions.js';
import type { TaskQueues } from './queues.js';

export interface ReconcileResult {
  upserted: TaskName[];
  unchanged: TaskName[];
  removed: TaskName[];
}

/**
 * Makes the job schedulers match `config.jobs`: one scheduler per enabled task, id = task name
 * (stable, so any number of schedulers may reconcile at once), removed when disabled.
 * check_orders is never scheduled. Unchanged schedulers are left alone, so calling this on
 * every config poll is cheap and does not reset next run times.
 */
export async function reconcileSchedulers(queues: TaskQueues, config: RuntimeConfig): Promise<ReconcileResult> {
  const result: ReconcileResult = { upserted: [], unchanged: [], removed: [] };
  for (const task of SCHEDULED_TASKS) {
    const queue = queues[task];
    const job = config.jobs[task];
    const existing = await queue.getJobScheduler(task);
    if (!job.enabled) {
      if (existing && (await queue.removeJobScheduler(task))) result.removed.push(task);
      continue;
    }
    if (existing?.pattern === job.cron) {
      result.unchanged.push(task);
      continue;
    }
    await queue.upsertJobScheduler(task, { pattern: job.cron }, { name: task, data: { trigger: 'schedule' } });
    result.upserted.push(task);
  }
  // Never scheduled, even if someone added a scheduler by hand.
  const manual = queues.check_orders;
  if (await manual.getJobScheduler('check_orders')) {
    await manual.removeJobScheduler('check_orders');
    result.removed.push('check_orders');
  }
  return result;
}

export interface SchedulerInfo {
  task: TaskName;
  pattern?: string;
  next?: Date;
}

/** Every scheduler with its next run time, for `dlsync schedulers` and the admin page. */
export async function listSchedulers(queues: TaskQueues): Promise<SchedulerInfo[]> {
  const out: SchedulerInfo[] = [];
  for (const task of SCHEDULED_TASKS) {
    const s = await queues[task].getJobScheduler(task);
    if (s) out.push({ task, pattern: s.pattern, ...(s.next ? { next: new Date(s.next) } : {}) });
  }
  return out;
}

/**
 * The time between the next two fire times of `pattern` after `from`, computed the way BullMQ's
 * job schedulers compute fire times; undefined for a pattern they cannot use.
 */
export function cronIntervalMs(pattern: string, from: Date): number | undefined {
  try {
    const first = getNextMillis(from.getTime(), { pattern });
    const second = first === undefined ? undefined : getNextMillis(first, { pattern });
    return first === undefined || second === undefined ? undefined : second - first;
  } catch {
    return undefined;
  }
}
