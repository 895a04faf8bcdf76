import type { DscoOrderShipments } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { ORDER_STATUS } from '@dlsync/store';
import { joinTracking } from '../rules/index.js';
import { readShipFacts, type ShipFacts } from '../ship-facts.js';
import { makeVerifiedWrites, SHIPMENT_KIND, type SettledItem, type VerifiedWriteDeps, type VerifiedWriteOptions, type VerifiedWrites } from '../verified-writes/index.js';

/** What the ship task knows about a PO's outgoing shipments when it sends them. */
export interface ShipmentSendFacts {
  /** The shipments being sent plus those DSCO holds cover every ordered line. */
  covers: boolean;
  /** Tracking numbers DSCO held before this send (comma-joined), stored beside the new ones. */
  known?: string;
  /** The WMS facts behind a covering shipment, kept on the row when it moves 3 → 4 (invoice_to_dsco reads them). */
  shipFacts?: ShipFacts;
}

/** Counts the task reports; the success handler adds to them. */
export interface ShipmentCounts {
  advanced: number;
}

/**
 * ship_to_dsco's writes: one ShipmentsForUpdate per PO. Tracking numbers are stored on the row
 * only once DSCO's change log says the shipment was applied; the row moves 3 → 4 when the
 * shipments cover every line (known when sent, kept beside the item), with the WMS facts the
 * send was planned from, else stays at 3 with the tracking numbers recorded.
 */
export function makeShipmentWrites(
  ctx: TaskContext,
  deps: VerifiedWriteDeps,
  factsOf: (po: string) => ShipmentSendFacts | undefined,
  counts: ShipmentCounts = { advanced: 0 },
  options?: VerifiedWriteOptions,
): VerifiedWrites<DscoOrderShipments> {
  return makeVerifiedWrites(
    deps,
    {
      ...SHIPMENT_KIND,
      send: (items, signal) => ctx.dsco.createShipments(items, { signal }),
      metaOf: (item) => {
        const facts = factsOf(item.poNumber);
        return {
          covers: facts?.covers ?? false,
          ...(facts?.known ? { known: facts.known } : {}),
          // Kept beside the item: its success may settle in a later run, which has no WMS read of its own.
          ...(facts?.covers && facts.shipFacts ? { ship_facts: facts.shipFacts } : {}),
        };
      },
    },
    { succeeded: (items) => recordShipped(ctx, items, counts) },
    options,
  );
}

/**
 * Records what DSCO applied. The POs whose shipments cover the order move 3 → 4 in one guarded
 * statement (a run settles up to a body of them, and one UPDATE per PO held the run for a
 * second per thousand); partly shipped ones only gain their tracking numbers.
 */
async function recordShipped(ctx: TaskContext, items: readonly SettledItem<DscoOrderShipments>[], counts: ShipmentCounts): Promise<void> {
  const rows = new Map((await ctx.store.orders.getByPos(items.map((s) => s.key))).map((r) => [r.po_number, r]));
  const settled = items.map((s) => {
    const sent = s.item.shipments.map((x) => x.trackingNumber);
    const known = typeof s.meta?.known === 'string' ? s.meta.known : '';
    const tracking = joinTracking(joinTracking(rows.get(s.key)?.shipped_tracking_no, known.split(',').filter(Boolean)), sent);
    // Writes sent before facts were kept (or with a meta this code does not read) move the row without them.
    const shipFacts = readShipFacts(s.meta?.ship_facts);
    const snapshot = { tracking_numbers: tracking.split(',').filter(Boolean), sent, requestId: s.requestId };
    return { s, tracking, shipFacts, snapshot, covers: s.meta?.covers === true };
  });
  const whole = settled.filter((x) => x.covers);
  const moved = new Set(
    await ctx.store.orders.transitionEach(
      whole.map((x) => ({ po: x.s.key, patch: { shipped_tracking_no: x.tracking, ...(x.shipFacts && { ship_facts: x.shipFacts }) } })),
      ORDER_STATUS.acknowledged,
      ORDER_STATUS.shipped,
    ),
  );
  for (const x of settled) {
    const ok = x.covers ? moved.has(x.s.key) : await ctx.store.orders.patch(x.s.key, ORDER_STATUS.acknowledged, { shipped_tracking_no: x.tracking });
    if (ok && x.covers) counts.advanced++;
    if (ok) ctx.orderDone(x.s.key, 'ok', x.covers ? 'shipped (DSCO confirmed)' : 'partly shipped (DSCO confirmed)', x.snapshot);
    else ctx.orderDone(x.s.key, 'skipped', 'shipment applied in DSCO; the row moved meanwhile', x.snapshot);
  }
}
