import type { TaskContext } from '@dlsync/runner';
import { sleep } from '@dlsync/remote';
import { processApplyTimes, type VerifiedWriteDeps, type VerifiedWriteOptions } from '../verified-writes/index.js';

/** The verified-write engine's side effects from a task's context: its store, DSCO's change logs, clock, signal and report. */
export function writeDepsOf(ctx: TaskContext): VerifiedWriteDeps {
  return {
    store: ctx.store,
    readLog: (kind, query, options) => ctx.dsco.readChangeLog(kind, query, options),
    now: () => ctx.now(),
    sleep,
    signal: ctx.signal,
    logger: ctx.logger,
    orderDone: (po, result, reason, snapshot) => ctx.orderDone(po, result, reason, snapshot),
    orderInFlight: (po, reason) => ctx.orderInFlight(po, reason),
    applyTimes: processApplyTimes,
  };
}

/**
 * The engine's policy from the run's config snapshot: a refused item backs off like a skipped
 * row (`retry.base_seconds` doubling up to `retry.max_seconds`) and goes at most
 * `retry.write_max_attempts` times unchanged.
 */
export function writeOptionsOf(ctx: Pick<TaskContext, 'config'>): VerifiedWriteOptions {
  const retry = ctx.config.retry;
  return { maxAttempts: retry.write_max_attempts, backoff: { baseSeconds: retry.base_seconds, maxSeconds: retry.max_seconds } };
}
