import type { OrderRow, OrderStatus } from '@dlsync/store';
import { rowChunksAtStatus, type RowSource } from '../row-source.js';
import type { SettleTally } from './engine-types.js';
import type { VerifiedWrites } from './verified-writes.js';

/**
 * A verified-write task's run over its rows at `status` (in chunks, as `rowChunksAtStatus`),
 * with the kind's earlier open writes settling beside it, so their change-log reads overlap the
 * run's own reads and sends instead of preceding them. Their POs are left out of the rows (DSCO
 * may still be applying them, and the settle reports them). `body` sends; then the run waits
 * for its own writes, unless it stopped at its size with rows behind it: the next run settles
 * them beside its own work. A single-PO run settles first: an operator repairing one PO sees
 * its earlier write's outcome before anything new is tried for it.
 */
export async function withEarlierSettling<Item>(
  ctx: RowSource,
  writes: VerifiedWrites<Item>,
  status: OrderStatus,
  chunkSize: number,
  body: (chunks: AsyncIterable<OrderRow[]>) => Promise<void>,
): Promise<{ earlier: SettleTally; fresh: SettleTally }> {
  let backlog = false;
  const ownWork = async (exclude: ReadonlySet<string>): Promise<SettleTally> => {
    await body(rowChunksAtStatus(ctx, status, chunkSize, { exclude, onMore: () => (backlog = true) }));
    return writes.awaitFresh({ leaveToNextRun: backlog });
  };
  if (ctx.onlyPoNumber !== undefined) {
    const earlier = await writes.settleEarlier();
    return { earlier, fresh: await ownWork(new Set()) };
  }
  const settling = await writes.settleAlongside();
  let fresh: SettleTally;
  try {
    fresh = await ownWork(settling.keys);
  } catch (err) {
    // The settle still finishes (its effects are guarded updates) before the run reports failure.
    settling.stop();
    await settling.done.catch(() => undefined);
    throw err;
  }
  settling.stop();
  return { earlier: await settling.done, fresh };
}
