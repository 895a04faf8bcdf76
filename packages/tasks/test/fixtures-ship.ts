import type { PulledOrderRow } from '@dlsync/store';
import type { AddOrderInput } from '@dlsync/sandbox';
import { formatMskus, lineKey, parseDscoOrder, unitPrice } from '../src/rules/index.js';
import type { TaskHarness } from './harness.js';

/** A DSCO order as the sandbox serves it (plain JSON). */
export type RawOrder = Record<string, unknown> & { poNumber: string; dscoRetailerId: string };

/** Simulated seconds after a push at which the sandbox's WMS shows the first / second parcel shipped. */
export const FIRST_SHIP_S = 1800;
export const SECOND_SHIP_S = 7200;

/** Adds an acknowledged (shipment_pending) order to the sandbox's DSCO; returns it as the API would. */
export function addPendingOrder(h: TaskHarness, input: AddOrderInput = {}): RawOrder {
  const added = h.sandbox.world.addOrder({ dscoStatus: 'shipment_pending', dscoLifecycle: 'acknowledged', ...input });
  return structuredClone(added.order) as unknown as RawOrder;
}

/** One line of a mapped catalog sku (`DL-10xx`), priced unless `price` is null. */
export function line(n: number, quantity = 1, price: number | null = 10) {
  return { partnerSku: `DL-${1000 + n}`, quantity, ...(price === null ? {} : { consumerPrice: price }) };
}

/**
 * Stores DSCO orders as local rows the way pull would (status 1) and walks them up to
 * `status` with guarded transitions.
 */
export async function storeAtStatus(h: TaskHarness, orders: readonly RawOrder[], status: 1 | 2 | 3 | 4): Promise<void> {
  const rows: PulledOrderRow[] = orders.map((raw) => {
    const parsed = parseDscoOrder(raw);
    if (!parsed.ok) throw new Error(`fixture order ${raw.poNumber}: ${parsed.reason}`);
    const o = parsed.order;
    return {
      po_number: o.poNumber,
      dsco_order_id: o.dscoOrderId ?? null,
      dsco_retailer_id: o.dscoRetailerId ?? null,
      dsco_status: o.dscoStatus ?? null,
      dsco_create_time: o.createTime,
      mskus: formatMskus(o),
      warehouse_id: o.shipWarehouseCode ?? null,
      shipment: o.shippingServiceLevelCode ?? null,
      payload: raw,
      pulledStatus: 1,
    };
  });
  await h.store.orders.upsertPulled(rows);
  const pos = orders.map((o) => o.poNumber);
  for (let s = 1; s < status; s++) {
    const moved = await h.store.orders.transitionMany(pos, s as 1 | 2 | 3, (s + 1) as 2 | 3 | 4);
    if (moved.length !== pos.length) throw new Error(`fixture: only ${moved.length}/${pos.length} rows moved ${s}→${s + 1}`);
  }
}

/** Creates the orders in the sandbox's Lingxing directly (as push_to_lingxing would), by store. */
export async function pushToLingxing(h: TaskHarness, orders: readonly RawOrder[]): Promise<void> {
  const mapping = h.sandbox.world.suggestedMapping();
  const byStore = new Map<string, RawOrder[]>();
  for (const o of orders) {
    const store = mapping.shop[o.dscoRetailerId];
    if (!store) throw new Error(`fixture: retailer ${o.dscoRetailerId} has no store`);
    byStore.set(store, [...(byStore.get(store) ?? []), o]);
  }
  for (const [store_id, list] of byStore) {
    for (let i = 0; i < list.length; i += 200) {
      const result = await h.lingxing.createOrders({
        platform_code: 10009,
        store_id,
        orders: list.slice(i, i + 200).map((raw) => {
          const parsed = parseDscoOrder(raw);
          if (!parsed.ok) throw new Error(parsed.reason);
          const ship = parsed.order.shipping;
          return {
            platform_order_no: parsed.order.poNumber,
            // The receiver fields Lingxing's create requires (the sandbox refuses an order without them).
            receiver_country_code: ship.country ?? 'US',
            receiver_name: ship.name ?? ([ship.firstName, ship.lastName].filter(Boolean).join(' ') || 'Receiver'),
            city: ship.city ?? 'City',
            address_line1: ship.address1 ?? 'Address',
            items: parsed.order.lineItems.map((l) => {
              const msku = lineKey(l) ?? '';
              const sku = mapping.sku[msku];
              return { msku, ...(sku ? { sku } : {}), quantity: l.quantity, unit_price: unitPrice(l) ?? 1 };
            }),
          };
        }),
      });
      if (result.error_details.length > 0) throw new Error(`fixture push: ${JSON.stringify(result.error_details)}`);
    }
  }
}

/** Moves the sandbox's simulated time on (Lingxing fulfilment, async DSCO batches). */
export function advanceSeconds(h: TaskHarness, seconds: number): void {
  h.sandbox.clock.advance(seconds * 1000);
}

/** Empties the local table and the sandbox (orders, writes, stats) so a test starts clean. */
export async function resetWorld(h: TaskHarness): Promise<void> {
  await h.store.pool.query('DELETE FROM dsco_order_sync');
  // PO numbers repeat after a sandbox reset: an earlier test's open write must not hold them.
  await h.store.pool.query('DELETE FROM dsco_write');
  h.sandbox.reset();
  h.resetCalls();
  await h.setConfig();
}

/** Sandbox shipment writes per tracking number of a PO. */
export function shipmentWritesByTracking(h: TaskHarness, po: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of h.sandbox.state({ poNumber: po, orders: false }).writes.dscoShipments) {
    out[w.trackingNumber] = (out[w.trackingNumber] ?? 0) + 1;
  }
  return out;
}

/** Tracking numbers the sandbox's WMS gives a PO's parcels (shipped or not yet). */
export function parcelTracking(h: TaskHarness, po: string): string[] {
  return h.sandbox.state({ poNumber: po }).lingxingOrders.flatMap((o) => o.parcels.map((p) => p.trackingNo));
}

/** Call-count keys (`service endpoint`, as `h.calls()` names them) of the writes and reads ship and invoice make. */
export const SHIPMENT_CALL = 'dsco /order/shipment/batch/small';
export const INVOICE_CALL = 'dsco /invoice/batch/small';
export const WMS_CALL = 'lingxing /erp/sc/routing/wms/order/wmsOrderList';
