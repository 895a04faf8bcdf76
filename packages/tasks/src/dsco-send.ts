import { DscoApiError } from '@dlsync/dsco';
import { chunk, forEachConcurrent } from '@dlsync/remote';

const SEND_CONCURRENCY = 2;

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
  // Two calls in flight: the rate limiter paces them, and one call's latency no longer leaves
  // DSCO's budget unused while another task is idle.
  await forEachConcurrent(chunk(items, options.max), SEND_CONCURRENCY, sendBatch);
}
