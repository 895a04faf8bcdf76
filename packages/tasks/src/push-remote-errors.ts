import { DscoApiError } from '@dlsync/dsco';
import { LingxingError } from '@dlsync/lingxing';
import type { TaskContext } from '@dlsync/runner';

/**
 * The code to fail one batch's orders with, or undefined when the error is not the batch's
 * alone and must fail the run: an abort (lock lost, shutdown), rejected credentials (Lingxing
 * gateway 2001xxx, IP not allowed; DSCO 401/403), or anything that is not a remote-call error
 * (a bug, the database). Everything else — transient failures left after the client's
 * retries, a request the API refused — only costs this batch; the next run tries again.
 */
export function batchFailureCode(error: unknown, signal: AbortSignal): string | undefined {
  if (signal.aborted) return undefined;
  if (error instanceof LingxingError) {
    return error.code.startsWith('2001') || error.code === '3001002' ? undefined : error.code;
  }
  if (error instanceof DscoApiError) {
    if (error.status === 401 || error.status === 403) return undefined;
    return error.inDoubt ? `${error.code} (outcome unknown)` : error.code;
  }
  return undefined;
}

type FailCtx = Pick<TaskContext, 'signal' | 'logger' | 'orderDone'>;

/**
 * Marks every order of a batch `failed` after its remote call failed, or rethrows when the
 * failure is the run's (see {@link batchFailureCode}). Orders keep their status, so the next
 * run picks them up again after reading the remote truth.
 */
export function failBatch(ctx: FailCtx, pos: readonly string[], what: string, error: unknown): void {
  const code = batchFailureCode(error, ctx.signal);
  if (code === undefined) throw error;
  ctx.logger.warn(`${what} failed`, { code, orders: pos.length, error: (error as Error).message });
  for (const po of pos) ctx.orderDone(po, 'failed', `${what} failed: ${code}`);
}
