import type { Logger } from '@dlsync/logger';
import { closeTaskQueues, makeTaskQueues, type TaskQueues } from '@dlsync/queue';
import type { Store } from '@dlsync/store';
import type { Redis } from 'ioredis';
import { makeScheduleReconciler, type ReconcileOutcome } from './schedule-reconciler.js';

export interface SchedulerAppOptions {
  store: Store;
  /** A BullMQ-ready connection (`makeRedisConnection`). */
  connection: Redis;
  /** BullMQ prefix (env `redis.prefix`). */
  prefix: string;
  logger: Logger;
  /** How often runtime_config is checked for a new version. (Default: 5000) */
  pollMs?: number;
}

export interface SchedulerApp {
  queues: TaskQueues;
  /** Outcome of the first reconcile, done before start returns. */
  first: ReconcileOutcome;
  /** Reconciles now (tests, or a future NOTIFY listener). */
  reconcileNow(): Promise<ReconcileOutcome>;
  /** Stops polling and closes the queues. */
  close(): Promise<void>;
}

/**
 * Reconciles the job schedulers from the live runtime_config at start and then every
 * `pollMs`. Polling rather than LISTEN/NOTIFY keeps it working through Postgres restarts and
 * poolers; a reconcile that finds nothing new only reads a few Redis keys.
 */
export async function startScheduler(options: SchedulerAppOptions): Promise<SchedulerApp> {
  const pollMs = options.pollMs ?? 5_000;
  const queues = await makeTaskQueues({ connection: options.connection, prefix: options.prefix });
  const reconciler = makeScheduleReconciler({
    queues,
    loadLatest: () => options.store.runtimeConfig.latest(),
    logger: options.logger,
  });
  // Calls are chained so a slow reconcile never overlaps the next one.
  let chain: Promise<ReconcileOutcome> = reconciler.reconcile();
  const reconcileNow = (): Promise<ReconcileOutcome> => {
    chain = chain.then(() => reconciler.reconcile());
    return chain;
  };
  const first = await chain;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => {
      void reconcileNow().finally(() => {
        if (!stopped) schedule();
      });
    }, pollMs);
  };
  schedule();
  let closed: Promise<void> | undefined;
  return {
    queues,
    first,
    reconcileNow,
    close() {
      closed ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await chain.catch(() => undefined);
        await closeTaskQueues(queues);
      })();
      return closed;
    },
  };
}
