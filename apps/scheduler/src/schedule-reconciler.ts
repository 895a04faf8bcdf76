import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import type { ReconcileResult, TaskQueues } from '@dlsync/queue';
import type { RuntimeConfigRecord } from '@dlsync/store';
import { reconcileTaskSchedule, schedulesOf, type TaskSchedule } from './task-schedule.js';

export interface ScheduleReconcilerOptions {
  queues: TaskQueues;
  /** The live runtime_config (`store.runtimeConfig.latest`). */
  loadLatest: () => Promise<RuntimeConfigRecord | undefined>;
  logger: Logger;
}

/** A task whose schedule could not be brought in line this time. */
export interface TaskScheduleFailure {
  task: TaskName;
  /** `invalid`: its entry in the live version is refused (its previous schedule stays); `error`: Redis/BullMQ failed. */
  kind: 'invalid' | 'error';
  error: string;
}

export type ReconcileOutcome =
  | { kind: 'reconciled'; version: number; result: ReconcileResult }
  /** Every task but `failed` follows `version`; each failed one keeps its previous schedule. */
  | { kind: 'partial'; version: number; result: ReconcileResult; failed: TaskScheduleFailure[] }
  /** Postgres failed; the next poll retries. */
  | { kind: 'error'; error: string };

export interface ScheduleReconciler {
  /** Reads the live config and makes the BullMQ job schedulers match it, task by task. Never throws. */
  reconcile(): Promise<ReconcileOutcome>;
  /** Newest version applied (in full or in part), undefined before the first reconcile that applied one. */
  appliedVersion(): number | undefined;
}

interface Plan {
  version: number;
  /** The schedule each task should have now: the live version's entry, or its last valid one. */
  schedules: Partial<Record<TaskName, TaskSchedule>>;
  invalid: Map<TaskName, string>;
}

/**
 * Keeps the job schedulers in line with runtime_config, each task on its own: one task's bad
 * entry or a BullMQ error on one queue is logged and never stops the other tasks' schedules
 * (disabling another task still takes effect). A task whose entry in the live version is invalid
 * keeps its last valid schedule. Every call re-asserts the plan, so schedulers lost with Redis
 * come back; a new version is parsed once. Schedulers have stable ids, so several reconcilers at
 * once are harmless.
 */
export function makeScheduleReconciler(options: ScheduleReconcilerOptions): ScheduleReconciler {
  const { logger } = options;
  let plan: Plan | undefined;
  /** Each task's last valid schedule, from whichever version last had one. */
  const lastValid: Partial<Record<TaskName, TaskSchedule>> = {};

  function planFor(record: RuntimeConfigRecord | undefined): Plan {
    // Version 0 = no runtime_config saved yet: the all-defaults config, nothing scheduled.
    const version = record?.version ?? 0;
    const parsed = schedulesOf(record?.config ?? {}, `runtime_config v${version}`);
    Object.assign(lastValid, parsed.valid);
    const invalid = new Map(parsed.refused.map((t) => [t, `jobs.${t} is invalid in v${version}; keeping its previous schedule`] as const));
    if (parsed.problems.length > 0) {
      logger.error('runtime config invalid: tasks with a bad entry keep their previous schedule', {
        config_version: version,
        refused_tasks: parsed.refused,
        problems: parsed.problems,
      });
    }
    return { version, schedules: { ...lastValid, ...parsed.valid }, invalid };
  }

  return {
    appliedVersion: () => plan?.version,
    async reconcile() {
      let record: RuntimeConfigRecord | undefined;
      try {
        record = await options.loadLatest();
      } catch (err) {
        const error = (err as Error).message;
        logger.warn('reconcile failed', { error, stage: 'read runtime_config' });
        return { kind: 'error', error };
      }
      const isNew = (record?.version ?? 0) !== plan?.version;
      if (isNew) plan = planFor(record);
      const current = plan!;

      const result: ReconcileResult = { upserted: [], unchanged: [], removed: [] };
      const failed: TaskScheduleFailure[] = [...current.invalid].map(([task, error]) => ({ task, kind: 'invalid', error }));
      for (const task of TASK_NAMES) {
        const schedule = current.schedules[task];
        if (!schedule) continue; // invalid and never valid before: leave whatever Redis has
        try {
          const change = await reconcileTaskSchedule(options.queues, task, schedule);
          if (change !== 'absent') result[change].push(task);
        } catch (err) {
          const error = (err as Error).message;
          failed.push({ task, kind: 'error', error });
          logger.warn('reconcile failed', { task, error, stage: 'update scheduler', config_version: current.version });
        }
      }
      const fields = { config_version: current.version, ...result, ...(failed.length > 0 && { failed: failed.map((f) => f.task) }) };
      if (isNew || result.upserted.length > 0 || result.removed.length > 0) logger.info('schedulers reconciled', fields);
      else logger.debug('schedulers reconciled', fields);
      return failed.length === 0
        ? { kind: 'reconciled', version: current.version, result }
        : { kind: 'partial', version: current.version, result, failed };
    },
  };
}
