import { packByBytes, type DscoItemInventory } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import type { ItemInventory } from './rules/index.js';
import type { SentWrite, SettleTally } from './verified-writes/index.js';
import { makeInventoryWrites } from './writes/inventory-writes.js';
import { writeDepsOf } from './writes/task-write-deps.js';

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

export interface StockPushResult {
  chunks: StockChunkResult[];
  /** How this run's own writes settled at DSCO (items applied, refused, still pending); absent when sending stopped. */
  fresh?: SettleTally;
  /** The error that stopped sending (auth, abort): the run must fail after recording `chunks`. */
  fatal?: unknown;
}

/**
 * Sends `items` as verified writes in bodies filled up to DSCO's byte budget (5 MB less a
 * margin), one after the other (SPEC §6 sync_stock). Earlier runs' chunks are settled from
 * DSCO's inventory log first; each chunk is recorded before its call, and its rows count as
 * confirmed only once the inventory log says it was applied. An item whose write is still
 * pending or in doubt, or that DSCO keeps refusing unchanged, is held back (reported, not
 * sent). A chunk whose outcome is in doubt is reported as not accepted (its change log tells
 * later). Never throws: a fatal error stops sending and is returned beside the chunks already
 * sent, so the caller can record them first.
 */
export async function pushInventory(ctx: TaskContext<'sync_stock'>, items: readonly ItemInventory[]): Promise<StockPushResult> {
  const writes = makeInventoryWrites(ctx, writeDepsOf(ctx));
  const chunks: StockChunkResult[] = [];
  try {
    ctx.report.detail('writes_settled', await writes.settleEarlier());
    const { ready, held } = await writes.admit(items);
    for (const h of held) ctx.report.add({ result: 'skipped', reason: h.reason, sku: h.key });
    ctx.report.detail('items_held', held.length);
    // An item alone over the budget cannot exist (a sku and a few warehouses), so none is left out.
    const { batches, oversize } = packByBytes(ready, (item) => item);
    if (oversize.length > 0) batches.push(...oversize.map((item) => [item]));
    for (const [index, batch] of batches.entries()) {
      for (const write of await writes.send([batch])) chunks.push(chunkResult(chunks.length + 1, write));
      ctx.progress(20 + (70 * (index + 1)) / batches.length);
    }
    const fresh = await writes.awaitFresh();
    ctx.report.detail('writes_fresh', fresh);
    return { chunks, fresh };
  } catch (err) {
    return { chunks, fatal: err };
  }
}

function chunkResult(chunk: number, write: SentWrite<DscoItemInventory>): StockChunkResult {
  const skus = write.items.map((i) => i.sku);
  if (write.state === 'pending' || write.state === 'success') return { chunk, skus, accepted: true, requestId: write.requestId };
  const inDoubt = write.state === 'in_doubt';
  return { chunk, skus, accepted: false, error: { code: write.code ?? (inDoubt ? 'IN_DOUBT' : 'REFUSED'), message: write.error ?? '', inDoubt } };
}
