import type { DscoItemInventory } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { attachInventoryRequestId } from '@dlsync/store';
import { INVENTORY_KIND, makeVerifiedWrites, type VerifiedWriteDeps, type VerifiedWriteOptions, type VerifiedWrites } from '../verified-writes/index.js';

/**
 * sync_stock's writes: `POST /inventory/batch/small` chunks keyed by DSCO sku. A row of
 * dsco_warehouse_sync counts as confirmed once the write carrying its sku succeeded; a write
 * whose answer was lost learns its requestId from the change log, and the run's rows get it
 * then (kept beside each item as the run id). A failing chunk confirms none of its rows.
 */
export function makeInventoryWrites(ctx: TaskContext, deps: VerifiedWriteDeps, options?: VerifiedWriteOptions): VerifiedWrites<DscoItemInventory> {
  return makeVerifiedWrites(
    deps,
    {
      ...INVENTORY_KIND,
      send: (items, signal) => ctx.dsco.updateInventory(items, { skipItemsThatDontExist: true, signal }),
      metaOf: () => ({ runId: ctx.runId }),
    },
    {
      async succeeded(items) {
        const byRun = new Map<string, { requestId: string; skus: string[] }>();
        for (const s of items) {
          const runId = typeof s.meta?.runId === 'string' ? s.meta.runId : undefined;
          if (runId === undefined || s.requestId === null) continue;
          const entry = byRun.get(`${runId}|${s.requestId}`) ?? { requestId: s.requestId, skus: [] };
          entry.skus.push(s.key);
          byRun.set(`${runId}|${s.requestId}`, entry);
        }
        for (const [key, { requestId, skus }] of byRun) await attachInventoryRequestId(ctx.store.db, key.split('|')[0] as string, skus, requestId);
      },
      async failed(items) {
        for (const s of items) ctx.logger.warn('dsco refused an inventory item', { sku: s.key, reason: s.result.reason, requestId: s.requestId });
      },
    },
    options,
  );
}
