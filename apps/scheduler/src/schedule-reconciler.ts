import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import { reconcileSchedulers, type ReconcileResult, type TaskQueues } from '@dlsync/queue';
import type { RuntimeConfigRecord } from '@dlsync/store';

export interface ScheduleReconcilerOptions {
  queues: TaskQueues;
  /** The live runtime_config (`store.runtimeConfig.latest`). */
  loadLatest: () => Promise<RuntimeConfigRecord | undefined>;
  logger: Logger;
}

export type ReconcileOutcome =
  | { kind: 'reconciled'; version: number; result: ReconcileResult }
  /** The live version is invalid; the schedule of `keptVersion` (if any) stays. */
  | { kind: 'invalid'; version: number; keptVersion?: number }
  /** Postgres or Redis failed; the next poll retries. */
  | { kind: 'error'; error: string };

export interface ScheduleReconciler {
  /** Reads the live config and makes the BullMQ job schedulers match it. Never throws. */
  reconcile(): Promise<ReconcileOutcome>;
  /** Version whose schedule is in force, undefined before the first successful reconcile. */
  appliedVersion(): number | undefined;
}

const changed = (r: ReconcileResult): boolean => r.upserted.length > 0 || r.removed.length > 0;

/**
 * Keeps the job schedulers in line with runtime_config. Every call re-asserts the last valid
 * config, so schedulers lost with Redis come back; a new version is parsed once, and an
 * invalid one is logged with its problems while the previous schedule stays in force.
 * Schedulers have stable ids, so several reconcilers at once are harmless.
 */
export function makeScheduleReconciler(options: ScheduleReconcilerOptions): ScheduleReconciler {
  const { logger } = options;
  let seenVersion: number | undefined;
  let applied: { version: number; config: RuntimeConfig } | undefined;

  return {
    appliedVersion: () => applied?.version,
    async reconcile() {
      let record: RuntimeConfigRecord | undefined;
      try {
        record = await options.loadLatest();
      } catch (err) {
        const error = (err as Error).message;
        logger.warn('reconcile failed', { error, stage: 'read runtime_config' });
        return { kind: 'error', error };
      }
      // Version 0 = no runtime_config saved yet: the all-defaults config, nothing scheduled.
      const version = record?.version ?? 0;
      const isNew = version !== seenVersion;
      let target = applied;
      if (isNew) {
        try {
          target = { version, config: parseRuntimeConfig(record?.config ?? {}, `runtime_config v${version}`) };
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          seenVersion = version;
          logger.error('runtime config invalid, keeping the previous schedule', {
            config_version: version,
            kept_version: applied?.version ?? null,
            problems: err.problems.map((p) => `${p.path}: ${p.message}`),
          });
          // Redis keeps whatever schedulers exist; re-asserting the old config below is safe.
          if (!applied) return { kind: 'invalid', version };
        }
      }
      if (!target) return { kind: 'invalid', version };
      let result: ReconcileResult;
      try {
        result = await reconcileSchedulers(options.queues, target.config);
      } catch (err) {
        const error = (err as Error).message;
        logger.warn('reconcile failed', { error, stage: 'update schedulers', config_version: target.version });
        return { kind: 'error', error };
      }
      const firstForVersion = target.version !== applied?.version || isNew;
      seenVersion = version;
      applied = target;
      const fields = { config_version: target.version, ...result };
      if (firstForVersion || changed(result)) logger.info('schedulers reconciled', fields);
      else logger.debug('schedulers reconciled', fields);
      return target.version === version
        ? { kind: 'reconciled', version, result }
        : { kind: 'invalid', version, keptVersion: target.version };
    },
  };
}
