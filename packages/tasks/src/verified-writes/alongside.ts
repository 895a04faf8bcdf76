import type { SettleTally } from './engine-types.js';
import type { VerifiedWrites } from './verified-writes.js';

/**
 * Runs `body` while the kind's earlier open writes settle beside it, so their change-log reads
 * overlap the run's own reads and sends instead of preceding them. `body` gets the keys those
 * writes cover: it leaves them out (DSCO may still be applying them, and the settle reports
 * them). A single-PO run settles first: an operator repairing one PO sees its earlier write's
 * outcome before anything new is tried for it.
 */
export async function withEarlierSettling<Item, T>(
  writes: VerifiedWrites<Item>,
  singlePo: boolean,
  body: (settling: ReadonlySet<string>) => Promise<T>,
): Promise<{ earlier: SettleTally; result: T }> {
  if (singlePo) {
    const earlier = await writes.settleEarlier();
    return { earlier, result: await body(new Set()) };
  }
  const settling = await writes.settleAlongside();
  let result: T;
  try {
    result = await body(settling.keys);
  } catch (err) {
    // The settle still finishes (its effects are guarded updates) before the run reports failure.
    settling.stop();
    await settling.done.catch(() => undefined);
    throw err;
  }
  settling.stop();
  return { earlier: await settling.done, result };
}
