import type { OrderRow, OrderStatus } from '@dlsync/store';
import { dueInstant, rowChunksAtStatus, type RowSource } from '../row-source.js';
import type { SettleTally } from './engine-types.js';
import type { VerifiedWrites } from './verified-writes.js';

/**
 * A verified-write task's run over its rows at `status` (in chunks, as `rowChunksAtStatus`),
 * with the kind's earlier open writes settling beside it, so their change-log reads overlap the
 * run's own reads and sends instead of preceding them. Their POs are left out of the rows (DSCO
 * may still be applying them, and the settle reports them). `body` sends; then the run waits
 * for its own writes, unless a backlog calls for the next run: the run stopped at its size with
 * rows behind it, or a full run's worth of due rows arrived while it waited. The next run
 * settles them beside its own work. A single-PO run settles first: an operator repairing one PO
 * sees its earlier write's outcome before anything new is tried for it.
 */
export async function withEarlierSettling<Item>(
  ctx: RowSource,
  writes: VerifiedWrites<Item>,
  status: OrderStatus,
  chunkSize: number,
  body: (chunks: AsyncIterable<OrderRow[]>) => Promise<void>,
): Promise<{ earlier: SettleTally; fresh: SettleTally }> {
  let backlog = false;
  const taken: string[] = [];
  async function* tracked(exclude: ReadonlySet<string>): AsyncGenerator<OrderRow[], void, undefined> {
    for await (const rows of rowChunksAtStatus(ctx, status, chunkSize, { exclude, onMore: () => (backlog = true) })) {
      for (const row of rows) taken.push(row.po_number);
      yield rows;
    }
  }
  const ownWork = async (exclude: ReadonlySet<string>): Promise<SettleTally> => {
    await body(tracked(exclude));
    if (ctx.onlyPoNumber !== undefined) return writes.awaitFresh();
    // Rows the run took, and those of the writes settling beside it, are not what waits behind it.
    const leftOut = [...exclude, ...taken];
    const fullRunWaiting = async () => backlog || (await ctx.store.orders.countDue(status, { now: dueInstant(ctx), exclude: leftOut, upTo: ctx.size })) >= ctx.size;
    return writes.awaitFresh({ leaveWhen: fullRunWaiting });
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
