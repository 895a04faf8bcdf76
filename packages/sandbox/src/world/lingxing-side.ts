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
}

export interface LingxingSideDeps {
  catalog: Catalog;
  ids: IdSource;
  now: () => number;
  platformCode: string;
  /** The plan of the DSCO order behind a PO (default plan when Lingxing gets an unknown PO). */
  planFor: (poNumber: string) => LingxingPlan;
}

export interface LingxingSide {
  /** Creates the order (split per plan); returns the global order numbers. */
  create(storeId: string, input: LingxingOrderInput): string[];
  has(poNumber: string): boolean;
  byPo(poNumber: string): readonly LingxingOrder[];
  all(): readonly LingxingOrder[];
  status(order: LingxingOrder): number;
  /** Outbound records visible now (status 1 before shipping, 3 once shipped). */
  wmsRecords(order: LingxingOrder): WmsRecord[];
  /** Local sku Lingxing resolves an msku to in a store (pairing), if any. */
  pairedSku(storeId: string, msku: string): string | undefined;
  reset(): void;
}

export interface WmsRecord {
  order_number: string;
  global_order_no: string;
  platform_order_no: string[];
  sid: number;
  wid: number;
  status: number;
  status_name: string;
  logistics_type_id: string;
  tracking_no: string;
  delivered_at: string;
  stock_delivered_at: string;
  product_info: Array<{ sku: string; seller_sku: string; count: number }>;
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
  for (const sku of catalog.skus) if (sku.paired) pairs.set(sku.partnerSku, sku.localSku);
  let orders: LingxingOrder[] = [];
  let byPo = new Map<string, LingxingOrder[]>();
  let sequence = 0;
  let parcelCount = new Map<string, number>();

  const productInfo = (items: LingxingItemInput[]): Parcel['items'] =>
    items.map((item) => ({ sku: item.sku ?? pairs.get(item.msku) ?? item.msku, seller_sku: item.msku, count: item.quantity }));

  const makeParcel = (po: string, shipAtMs: number, items: Parcel['items']): Parcel => {
    const index = parcelCount.get(po) ?? 0;
    parcelCount.set(po, index + 1);
    return { trackingNo: ids.trackingNumber(po, index + 1), orderNumber: `WO${String(100_000_000 + (sequence += 1))}`, shipAtMs, items };
  };

  const side: LingxingSide = {
    create(storeId, input) {
      const plan = deps.planFor(input.platform_order_no);
      const createdAtMs = now();
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
      return created.map((o) => o.globalOrderNo);
    },
    has: (po) => byPo.has(po),
    byPo: (po) => byPo.get(po) ?? [],
    all: () => orders,
    status(order) {
      const current = now();
      if (order.parcels.some((p) => p.shipAtMs <= current)) return 6;
      return current >= order.toShipAtMs ? 5 : 1;
    },
    wmsRecords(order) {
      const current = now();
      if (current < order.toShipAtMs) return [];
      const fallbackWid = catalog.warehouses[0]?.wid ?? '0';
      return order.parcels.map((parcel) => {
        const shipped = parcel.shipAtMs <= current;
        const when = shipped ? lingxingDateTime(parcel.shipAtMs) : '';
        return {
          order_number: parcel.orderNumber,
          global_order_no: order.globalOrderNo,
          platform_order_no: [order.platformOrderNo],
          sid: Number(order.storeId),
          wid: Number(order.input.wid ?? fallbackWid),
          status: shipped ? 3 : 1,
          status_name: shipped ? 'shipped' : 'pending review',
          logistics_type_id: order.input.logistics_type_id ?? '',
          tracking_no: parcel.trackingNo,
          delivered_at: order.deliveredAtEmpty ? '' : when,
          stock_delivered_at: when,
          product_info: parcel.items,
        };
      });
    },
    pairedSku: (_storeId, msku) => pairs.get(msku),
    reset() {
      orders = [];
      byPo = new Map();
      parcelCount = new Map();
      sequence = 0;
    },
  };
  return side;
}
