import type { RuntimeConfig, TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import { statusOfTask, type SkipRecord, type Store } from '@dlsync/store';
import type { OrderResult } from './report.js';

export interface SkipRecorder {
  /** Notes an `order done`; skips and failures with a reason are kept for {@link flush}. */
  note(po: string, result: OrderResult, reason: string | undefined): void;
  /**
   * Writes the kept reasons to their rows (last_error, attempts, next_attempt_at) in one
   * statement, guarded by the task's status. A failure is logged, never thrown: the run's own
   * outcome is already decided, and the rows are simply due again sooner.
   */
  flush(): Promise<void>;
}

/**
 * Every skip or failure reason of a per-status task is also written to its row, so the row backs
 * off (and stops holding back the rows behind it) and operators see why it is stuck. Tasks that
 * read no status (pull, stock, sku pairs, check) have no row to record on.
 */
export function makeSkipRecorder(task: TaskName, store: Store, now: () => Date, logger: Logger, retry?: RuntimeConfig['retry']): SkipRecorder {
  const status = statusOfTask(task);
  const pending = new Map<string, SkipRecord>();
  const policy = retry && { baseSeconds: retry.base_seconds, maxSeconds: retry.max_seconds, waitingSeconds: retry.waiting_seconds };
  return {
    note(po, result, reason) {
      if (status === undefined || result === 'ok' || !reason) return;
      // A waiting row is not stuck: it comes back after the fixed delay, with no attempt counted.
      pending.set(po, { po, reason, waiting: result === 'waiting' });
    },
    async flush() {
      if (status === undefined || pending.size === 0) return;
      const items = [...pending.values()];
      pending.clear();
      try {
        await store.orders.recordSkips(items, status, now(), policy);
      } catch (err) {
        logger.warn('recording skip reasons failed', { error: (err as Error).message, rows: items.length });
      }
    },
  };
}
