import { DscoApiError, DSCO_BODY_BUDGET_BYTES, packByBytes } from '@dlsync/dsco';
import { forEachConcurrent } from '@dlsync/remote';

const SEND_CONCURRENCY = 2;

/** DSCO refused the request as a whole and applied none of it (a 400). */
export function isRejectedBatch(err: unknown): err is DscoApiError {
  return err instanceof DscoApiError && err.status === 400 && !err.inDoubt;
}

export interface SendInChunksOptions<T, R = unknown> {
  /** The JSON `item` becomes in the request body: batches are sized by its bytes. */
  wire(item: T): unknown;
  /** Bytes one body may carry. (Default: DSCO_BODY_BUDGET_BYTES, 10 % under DSCO's 5 MB) */
  budgetBytes?: number;
  send(batch: T[]): Promise<R>;
  /** The call carrying `batch` was accepted (202) with `answer`. */
  accepted(batch: T[], answer: R): Promise<void>;
  /**
   * The call carrying `batch` failed, or (a RangeError) an item is too large for any body;
   * rethrow what is not an order-level failure.
   */
  failed(batch: T[], err: unknown): Promise<void>;
}

/**
 * Sends `items` in bodies filled up to the byte budget (DSCO bounds small-batch bodies by
 * size, not count). A body DSCO rejects as a whole (400: nothing was applied, so nothing can
 * be sent twice) is split in halves, and each half sent again, until the bad items stand
 * alone: one bad item among n costs about 2·log2(n) calls, and the good ones still go out.
 */
export async function sendInChunks<T, R>(items: readonly T[], options: SendInChunksOptions<T, R>): Promise<void> {
  const budget = options.budgetBytes ?? DSCO_BODY_BUDGET_BYTES;
  const sendBatch = async (batch: T[]): Promise<void> => {
    let answer: R;
    try {
      answer = await options.send(batch);
    } catch (err) {
      if (isRejectedBatch(err) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await sendBatch(batch.slice(0, half));
        await sendBatch(batch.slice(half));
        return;
      }
      await options.failed(batch, err);
      return;
    }
    await options.accepted(batch, answer);
  };
  const { batches, oversize } = packByBytes(items, options.wire, budget);
  for (const item of oversize) {
    await options.failed([item], new RangeError(`the item's JSON alone exceeds DSCO's body budget of ${budget} bytes`));
  }
  // Two calls in flight: the rate limiter paces them, and one call's latency no longer leaves
  // DSCO's budget unused while another task is idle.
  await forEachConcurrent(batches, SEND_CONCURRENCY, sendBatch);
}
