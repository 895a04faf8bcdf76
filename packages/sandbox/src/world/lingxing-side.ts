import type { Catalog } from './catalog.js';
import type { IdSource } from './seed-orders.js';
import type { LingxingPlan } from './types.js';

export interface LingxingItemInput {
  msku: string;
  sku?: string;
  quantity: number;
  unit_price: number | string;
}

/** One accepted order of a create call (already validated). */
export interface LingxingOrderInput {
  platform_order_no: string;
  wid?: string;
  logistics_type_id?: string;
  items: LingxingItemInput[];
  [field: string]: unknown;
}

/** A product row of an outbound record (bundle_type 0 plain, 1 bundle, 2 component of `bundle_wod_id`). */
export interface WmsProductRow {
  wod_id: number;
  sku: string;
  seller_sku: string;
  count: number;
  bundle_type: 0 | 1 | 2;
  bundle_wod_id: number;
}

interface Parcel {
  trackingNo: string;
  orderNumber: string;
  shipAtMs: number;
  items: Array<{ sku: string; seller_sku: string; count: number }>;
}

/** A Lingxing multi-platform order (one sub-order of a PO when split). */
export interface LingxingOrder {
  globalOrderNo: string;
  platformOrderNo: string;
  storeId: string;
  platformCode: string;
  createdAtMs: number;
  toShipAtMs: number;
  input: LingxingOrderInput;
  items: LingxingItemInput[];
  parcels: Parcel[];
  deliveredAtEmpty: boolean;
  /** Set by cancelOrder: the order is "do not ship" (status 7) and its outbounds are deleted. */
  cancelledAtMs?: number;
}

export type CancelResult = { ok: true } | { ok: false; message: string };

export interface LingxingSideDeps {
  catalog: Catalog;
  ids: IdSource;
  now: () => number;
  platformCode: string;
  /** The plan of the DSCO order behind a PO (default plan when Lingxing gets an unknown PO). */
  planFor: (poNumber: string) => LingxingPlan;
}

export interface LingxingSide {
  /**
   * Creates the order (split per plan) at `atMs` (Default: now; an earlier time seeds history);
   * returns the global order numbers.
   */
  create(storeId: string, input: LingxingOrderInput, atMs?: number): string[];
  /** Whether the store already has an order with this platform number (unique per store only). */
  has(storeId: string, poNumber: string): boolean;
  /** Marks the order "do not ship"; refused for an unknown or already shipped order. */
  cancel(globalOrderNo: string): CancelResult;
  byPo(poNumber: string): readonly LingxingOrder[];
  all(): readonly LingxingOrder[];
  status(order: LingxingOrder): number;
  /** Outbound records visible now (status 1 before shipping, 3 once shipped). */
  wmsRecords(order: LingxingOrder): WmsRecord[];
  /** Local sku Lingxing resolves an msku to in a store (pairing), if any. */
  pairedSku(storeId: string, msku: string): string | undefined;
  reset(): void;
}

/** An outbound record; ids are decimal strings here, written as JSON integers by the handler. */
export interface WmsRecord {
  wo_number: string;
  /** The system (global) order number the outbound ships. */
  order_number: string;
  platform_order_no: string[];
  sid: string;
  wid: string;
  status: number;
  status_name: string;
  logistics_type_id: string;
  tracking_no: string;
  create_at: string;
  createAtMs: number;
  delivered_at: string;
  stock_delivered_at: string;
  product_info: WmsProductRow[];
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), the warehouse-local format Lingxing uses. */
export function lingxingDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Splits a list of item units into two non-empty halves, by line when possible, else by quantity. */
function halve<T extends { count: number }>(items: T[]): [T[], T[]] | undefined {
  if (items.length >= 2) {
    const cut = Math.ceil(items.length / 2);
    return [items.slice(0, cut), items.slice(cut)];
  }
  const only = items[0];
  if (!only || only.count < 2) return undefined;
  const first = Math.ceil(only.count / 2);
  return [[{ ...only, count: first }], [{ ...only, count: only.count - first }]];
}

export function makeLingxingSide(deps: LingxingSideDeps): LingxingSide {
  const { catalog, ids, now } = deps;
  // Every store pairs the catalog the same way, so one msku → sku map serves all of them.
  const pairs = new Map<string, string>();
  for (const sku of catalog.skus) if (sku.paired) pairs.set(sku.sku, sku.localSku);
  let orders: LingxingOrder[] = [];
  let byPo = new Map<string, LingxingOrder[]>();
  let byGlobal = new Map<string, LingxingOrder>();
  let sequence = 0;
  let wodSequence = 0;
  let parcelCount = new Map<string, number>();

  /** Product rows of a parcel; a bundle sku adds its split-out component rows after it. */
  const productRows = (items: Parcel['items']): WmsProductRow[] =>
    items.flatMap((item) => {
      const parent: WmsProductRow = { wod_id: (wodSequence += 1), ...item, bundle_type: 0, bundle_wod_id: 0 };
      const parts = catalog.bundles.get(item.sku);
      if (!parts) return [parent];
      parent.bundle_type = 1;
      return [parent, ...parts.map((sku): WmsProductRow => ({ wod_id: (wodSequence += 1), sku, seller_sku: '', count: item.count, bundle_type: 2, bundle_wod_id: parent.wod_id }))];
    });
  const rowsByParcel = new Map<Parcel, WmsProductRow[]>();
  const rowsOf = (parcel: Parcel): WmsProductRow[] => {
    let rows = rowsByParcel.get(parcel);
    if (!rows) rowsByParcel.set(parcel, (rows = productRows(parcel.items)));
    return rows;
  };

  const productInfo = (items: LingxingItemInput[]): Parcel['items'] =>
    items.map((item) => ({ sku: item.sku ?? pairs.get(item.msku) ?? item.msku, seller_sku: item.msku, count: item.quantity }));

  const makeParcel = (po: string, shipAtMs: number, items: Parcel['items']): Parcel => {
    const index = parcelCount.get(po) ?? 0;
    parcelCount.set(po, index + 1);
    return { trackingNo: ids.trackingNumber(po, index + 1), orderNumber: `WO${String(100_000_000 + (sequence += 1))}`, shipAtMs, items };
  };

  const side: LingxingSide = {
    create(storeId, input, atMs) {
      const plan = deps.planFor(input.platform_order_no);
      const createdAtMs = atMs ?? now();
      const lineGroups = plan.splitOrder && input.items.length >= 2 ? halve(input.items.map((i) => ({ ...i, count: i.quantity }))) : undefined;
      const groups: LingxingItemInput[][] = lineGroups ? lineGroups.map((g) => g.map(({ count: _c, ...item }) => item)) : [input.items];
      const first = createdAtMs + plan.shipAfterSeconds * 1000;
      const second = createdAtMs + plan.secondShipmentAfterSeconds * 1000;
      const created = groups.map((items, groupIndex): LingxingOrder => {
        const info = productInfo(items);
        let parcels: Parcel[];
        if (lineGroups) parcels = [makeParcel(input.platform_order_no, plan.splitShipment && groupIndex === 1 ? second : first, info)];
        else {
          const halves = plan.splitShipment ? halve(info) : undefined;
          parcels = halves ? [makeParcel(input.platform_order_no, first, halves[0]), makeParcel(input.platform_order_no, second, halves[1])] : [makeParcel(input.platform_order_no, first, info)];
        }
        return {
          globalOrderNo: `103${String(200_000_000_000_000 + (sequence += 1))}`,
          platformOrderNo: input.platform_order_no,
          storeId,
          platformCode: deps.platformCode,
          createdAtMs,
          toShipAtMs: createdAtMs + plan.toShipAfterSeconds * 1000,
          input,
          items,
          parcels,
          deliveredAtEmpty: plan.deliveredAtEmpty,
        };
      });
      orders.push(...created);
      byPo.set(input.platform_order_no, [...(byPo.get(input.platform_order_no) ?? []), ...created]);
      for (const order of created) byGlobal.set(order.globalOrderNo, order);
      return created.map((o) => o.globalOrderNo);
    },
    has: (storeId, po) => (byPo.get(po) ?? []).some((o) => o.storeId === storeId),
    cancel(globalOrderNo) {
      const order = byGlobal.get(globalOrderNo);
      if (!order) return { ok: false, message: 'order does not exist' };
      if (order.cancelledAtMs !== undefined) return { ok: true };
      if (side.status(order) === 6) return { ok: false, message: 'order already shipped' };
      order.cancelledAtMs = now();
      return { ok: true };
    },
    byPo: (po) => byPo.get(po) ?? [],
    all: () => orders,
    status(order) {
      const current = now();
      if (order.cancelledAtMs !== undefined) return 7;
      if (order.parcels.some((p) => p.shipAtMs <= current)) return 6;
      return current >= order.toShipAtMs ? 5 : 1;
    },
    wmsRecords(order) {
      const current = now();
      if (current < order.toShipAtMs) return [];
      const fallbackWid = catalog.warehouses[0]?.wid ?? '0';
      const deleted = order.cancelledAtMs !== undefined;
      return order.parcels.map((parcel) => {
        const shipped = !deleted && parcel.shipAtMs <= current;
        const when = shipped ? lingxingDateTime(parcel.shipAtMs) : '';
        return {
          wo_number: parcel.orderNumber,
          order_number: order.globalOrderNo,
          platform_order_no: [order.platformOrderNo],
          sid: order.storeId,
          wid: order.input.wid ?? fallbackWid,
          status: deleted ? 4 : shipped ? 3 : 1,
          status_name: deleted ? 'deleted' : shipped ? 'shipped' : 'logistics ordered',
          logistics_type_id: order.input.logistics_type_id ?? '',
          // A deleted outbound keeps its tracking number but no ship time.
          tracking_no: parcel.trackingNo,
          create_at: lingxingDateTime(order.toShipAtMs),
          createAtMs: order.toShipAtMs,
          delivered_at: order.deliveredAtEmpty ? '' : when,
          stock_delivered_at: when,
          product_info: rowsOf(parcel),
        };
      });
    },
    pairedSku: (_storeId, msku) => pairs.get(msku),
    reset() {
      orders = [];
      byPo = new Map();
      byGlobal = new Map();
      parcelCount = new Map();
      rowsByParcel.clear();
      sequence = 0;
      wodSequence = 0;
    },
  };
  return side;
}
