import { DscoApiError, packByBytes } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import type { ItemInventory } from './rules/index.js';

/** Outcome of one `POST /inventory/batch/small`. */
export type StockChunkResult = {
  /** 1-based, in sending order. */
  chunk: number;
  /** partnerSkus of the chunk's items. */
  skus: string[];
} & (
  | { accepted: true; requestId: string | null }
  /** `inDoubt`: DSCO may have applied the chunk although no 202 came back. */
  | { accepted: false; error: { code: string; message: string; inDoubt: boolean } }
);

/**
 * Whether a failed inventory write concerns this chunk only (the next chunk may well work):
 * throttling or server faults that outlived the client's retries, a write in doubt, or a
 * rejected body. Authentication failures and aborts are the run's problem and propagate.
 */
function isChunkFailure(err: unknown): err is DscoApiError {
  return err instanceof DscoApiError && err.status !== 401 && err.status !== 403;
}

export interface StockPushResult {
  chunks: StockChunkResult[];
  /** The error that stopped sending (auth, abort): the run must fail after recording `chunks`. */
  fatal?: unknown;
}

/**
 * Sends `items` in bodies filled up to DSCO's byte budget (5 MB less a margin), one after the other (SPEC §6
 * sync_stock). Inventory writes set absolute quantities, so resending after a crash is safe;
 * a chunk whose outcome is in doubt is still reported as not accepted, because nobody knows
 * whether DSCO applied it. Never throws: a fatal error stops sending and is returned beside
 * the chunks already sent, so the caller can record them first.
 */
export async function pushInventory(ctx: TaskContext<'sync_stock'>, items: readonly ItemInventory[]): Promise<StockPushResult> {
  // An item alone over the budget cannot exist (a sku and a few warehouses), so none is left out.
  const { batches, oversize } = packByBytes(items, (item) => item);
  if (oversize.length > 0) batches.push(...oversize.map((item) => [item]));
  const chunks: StockChunkResult[] = [];
  for (const [index, batch] of batches.entries()) {
    const base = { chunk: index + 1, skus: batch.map((i) => i.sku) };
    try {
      const accepted = await ctx.dsco.updateInventory(batch, { skipItemsThatDontExist: true, signal: ctx.signal });
      chunks.push({ ...base, accepted: true, requestId: accepted.requestId ?? null });
    } catch (err) {
      if (!isChunkFailure(err)) return { chunks, fatal: err };
      chunks.push({ ...base, accepted: false, error: { code: err.code, message: err.message, inDoubt: err.inDoubt } });
    }
    ctx.progress(20 + (70 * (index + 1)) / batches.length);
  }
  return { chunks };
}
