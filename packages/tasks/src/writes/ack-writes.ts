import type { DscoAcknowledgeItem } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { ORDER_STATUS } from '@dlsync/store';
import { ACK_KIND, makeVerifiedWrites, type VerifiedWriteDeps, type VerifiedWriteOptions, type VerifiedWrites } from '../verified-writes/index.js';

/**
 * ack_to_dsco's writes: `POST /order/acknowledge` items, and what DSCO's success means for
 * them — the row moves 2 → 3 (guarded; a row that moved meanwhile is left alone). Counts the
 * run's `ackCalls` and `acknowledged` details.
 */
export function makeAckWrites(ctx: TaskContext, deps: VerifiedWriteDeps, options?: VerifiedWriteOptions): VerifiedWrites<DscoAcknowledgeItem> {
  return makeVerifiedWrites(
    deps,
    {
      ...ACK_KIND,
      send: (items, signal) => {
        ctx.report.count('ackCalls');
        return ctx.dsco.acknowledge(
          items.map((i) => ({ poNumber: i.id, ...(i.supplierOrderNumber ? { supplierOrderNumber: i.supplierOrderNumber } : {}) })),
          { signal },
        );
      },
    },
    {
      async succeeded(items) {
        const pos = items.map((s) => s.key);
        const moved = new Set(await ctx.store.orders.transitionMany(pos, ORDER_STATUS.pushed, ORDER_STATUS.acknowledged));
        ctx.report.count('acknowledged', moved.size);
        for (const s of items) {
          if (moved.has(s.key)) ctx.orderDone(s.key, 'ok', 'acknowledged', { requestId: s.requestId });
          else ctx.orderDone(s.key, 'skipped', 'acknowledged in DSCO; the row moved meanwhile');
        }
      },
    },
    options,
  );
}
