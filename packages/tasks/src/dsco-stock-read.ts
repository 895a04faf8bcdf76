import { quantitiesByWarehouse, type DscoClient } from '@dlsync/dsco';
import { mapConcurrent } from '@dlsync/remote';
import type { DscoHeld } from './stock-reconcile.js';

/** Reads in flight at once; the client's limiter keeps them within DSCO's 15/s and 300/min. (Default: 4) */
const READ_CONCURRENCY = 4;

export interface DscoStockRead {
  held: Map<string, DscoHeld>;
  /** Reads that failed (the items are sent without comparison). */
  failed: number;
}

/**
 * What DSCO holds for each sku, one `GET /inventory` per sku. This is the "few SKUs" way: at
 * DSCO's 300 reads a minute a catalog of N items takes N / 300 minutes to compare.
 */
export async function readDscoStock(dsco: Pick<DscoClient, 'getInventory'>, skus: readonly string[], signal?: AbortSignal): Promise<DscoStockRead> {
  const held = new Map<string, DscoHeld>();
  let failed = 0;
  await mapConcurrent(skus, READ_CONCURRENCY, async (sku) => {
    try {
      const item = await dsco.getInventory(sku, signal ? { signal } : {});
      held.set(sku, item ? quantitiesByWarehouse(item) : undefined);
    } catch (err) {
      if (signal?.aborted) throw err;
      held.set(sku, 'unreadable');
      failed += 1;
    }
  });
  return { held, failed };
}
