import type { TaskContext } from '@dlsync/runner';
import { sleep } from '@dlsync/remote';
import type { VerifiedWriteDeps } from '../verified-writes/index.js';

/** The verified-write engine's side effects from a task's context: its store, DSCO's change logs, clock, signal and report. */
export function writeDepsOf(ctx: TaskContext): VerifiedWriteDeps {
  return {
    store: ctx.store,
    readLog: (kind, query, { signal }) => ctx.dsco.readChangeLog(kind, query, { signal }),
    now: () => ctx.now(),
    sleep,
    signal: ctx.signal,
    logger: ctx.logger,
    orderDone: (po, result, reason, snapshot) => ctx.orderDone(po, result, reason, snapshot),
  };
}
