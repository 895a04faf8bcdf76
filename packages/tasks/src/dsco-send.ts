import { chunk, DscoApiError } from '@dlsync/dsco';
import { LINGXING_CODES, LingxingError } from '@dlsync/lingxing';
import type { TaskContext } from '@dlsync/runner';

/** Lingxing codes that mean our credentials or address are refused: the whole run must fail. */
const LINGXING_AUTH_CODES: ReadonlySet<string> = new Set([
  '2001001',
  '2001002',
  LINGXING_CODES.tokenExpired,
  LINGXING_CODES.tokenMismatch,
  LINGXING_CODES.signInvalid,
  LINGXING_CODES.signExpired,
  LINGXING_CODES.refreshTokenInvalid,
  LINGXING_CODES.refreshTokenExpired,
  LINGXING_CODES.ipNotAllowed,
]);

/**
 * The code to report when a remote call failed for the orders it carried only (a transient
 * error after the client's retries, a rejected batch), or undefined when the failure is the
 * run's (auth refused, a bug, an abort) and must be rethrown. An in-doubt DSCO write says so.
 */
export function remoteFailureCode(err: unknown): string | undefined {
  if (err instanceof DscoApiError) {
    if (err.status === 401 || err.status === 403) return undefined;
    return err.inDoubt ? `${err.code} (in doubt)` : err.code;
  }
  if (err instanceof LingxingError) return LINGXING_AUTH_CODES.has(err.code) ? undefined : err.code;
  return undefined;
}

/**
 * Marks every PO `failed` because of `err` (what: the call that failed), or rethrows `err` when
 * it is not an order-level failure. Failures are logged and reported, never stored.
 */
export function failOrders(ctx: Pick<TaskContext, 'orderDone' | 'signal'>, pos: readonly string[], what: string, err: unknown): void {
  ctx.signal.throwIfAborted();
  const code = remoteFailureCode(err);
  if (code === undefined) throw err;
  for (const po of pos) ctx.orderDone(po, 'failed', `${what} failed: ${code}`);
}

/** DSCO refused the request as a whole and applied none of it (a 400). */
export function isRejectedBatch(err: unknown): err is DscoApiError {
  return err instanceof DscoApiError && err.status === 400 && !err.inDoubt;
}

export interface SendInChunksOptions<T> {
  /** Items per call (a {@link DSCO_BATCH_MAX} entry). */
  max: number;
  send(batch: T[]): Promise<unknown>;
  /** The call carrying `batch` was accepted (202). */
  accepted(batch: T[]): Promise<void>;
  /** The call carrying `batch` failed; rethrow what is not an order-level failure. */
  failed(batch: T[], err: unknown): Promise<void>;
}

/**
 * Sends `items` in calls of at most `max`. A call DSCO rejects as a whole (400: nothing was
 * applied, so nothing can be sent twice) is re-sent one item per call, so one bad item cannot
 * hold back the rest of its batch on every run.
 */
export async function sendInChunks<T>(items: readonly T[], options: SendInChunksOptions<T>): Promise<void> {
  const sendBatch = async (batch: T[]): Promise<void> => {
    try {
      await options.send(batch);
    } catch (err) {
      if (isRejectedBatch(err) && batch.length > 1) {
        for (const item of batch) await sendBatch([item]);
        return;
      }
      await options.failed(batch, err);
      return;
    }
    await options.accepted(batch);
  };
  for (const batch of chunk(items, options.max)) await sendBatch(batch);
}
