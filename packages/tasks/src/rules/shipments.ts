import type { DscoShipment as WireShipment, DscoShipmentLineItem } from '@dlsync/dsco';
import type { DscoOrder } from './dsco-order.js';
import { makeLineAllocator } from './line-allocation.js';
import { lineIdentifiers, lineKey, type LineKeyPreference } from './line-key.js';
import { parseWmsTime, toRfc3339 } from './wms-time.js';

/** The part of a WMS outbound record the rules read. */
export interface WmsRecord {
  tracking_no?: string | null;
  delivered_at?: string | null;
  stock_delivered_at?: string | null;
  /** 1 logistics ordered, 2 shipping, 3 shipped, 4 deleted. */
  status?: number | string | null;
  /** Warehouse id (decimal string). */
  wid?: string | null;
  product_info?:
    | {
        sku?: string | null;
        seller_sku?: string | null;
        count?: number | string | null;
        /** 0 plain, 1 bundle (the row the order line names), 2 a component split out of a bundle. */
        bundle_type?: number | string | null;
      }[]
    | null;
}

/** A shipment line as dlsync sends it: by the line key (in `sku`, or `partnerSku` when preferred), plus DSCO's ids when the line matches. */
export type ShipmentLine = DscoShipmentLineItem;

export type DscoShipment = Omit<WireShipment, 'lineItems'> & { lineItems: ShipmentLine[] };

export interface ShipmentPlan {
  /** Shipments with tracking numbers not sent before. */
  toSend: DscoShipment[];
  /** Quantity shipped per line key over every shipped record, sent before or now. */
  shippedQty: Map<string, number>;
  /** Latest ship time over every shipped record. */
  lastShipDate?: Date;
  /** Records that cannot become a shipment, with why. */
  problems: string[];
}

export interface PlanShipmentOptions {
  /** Lingxing wid → DSCO warehouseCode, when known; shipments then carry it. */
  toWarehouseCode?: (wid: string) => string | undefined;
}

const WMS_DELETED = 4;
const WMS_SHIPPED = 3;
const BUNDLE_COMPONENT = 2;

interface ShippedOutbound {
  tracking: string;
  date: Date;
  record: WmsRecord;
}

/**
 * An outbound counts as shipped when it has a tracking number and a ship time (delivered_at,
 * else stock_delivered_at) and is not deleted (status 4) — the status alone is not enough,
 * because an outbound can be marked shipped before the carrier's number is in. A record
 * marked shipped that lacks either is reported as a problem.
 */
function shippedOutbound(record: WmsRecord, timezone: string, problems: string[]): ShippedOutbound | undefined {
  if (Number(record.status) === WMS_DELETED) return undefined;
  const tracking = record.tracking_no?.trim();
  const date = parseWmsTime(record.delivered_at, timezone) ?? parseWmsTime(record.stock_delivered_at, timezone);
  const markedShipped = Number(record.status) === WMS_SHIPPED;
  if (!tracking) {
    if (markedShipped) problems.push('shipped WMS record without tracking number');
    return undefined;
  }
  if (!date) {
    if (markedShipped) problems.push(`tracking ${tracking} has no ship time`);
    return undefined;
  }
  return { tracking, date, record };
}

/**
 * Quantity per Lingxing sku of one outbound. A bundle is listed as its bundle row (the sku the
 * order line names) followed by one row per split-out component; only the bundle row counts,
 * or the line would be counted twice and the components would look like foreign skus.
 */
function productCounts(record: WmsRecord): Array<[string, number]> {
  const counts: Array<[string, number]> = [];
  for (const p of record.product_info ?? []) {
    if (Number(p.bundle_type) === BUNDLE_COMPONENT) continue;
    const sku = p.sku || p.seller_sku;
    const count = Number(p.count);
    if (!sku || !Number.isFinite(count) || count <= 0) continue;
    counts.push([sku, count]);
  }
  return counts;
}

/**
 * Groups shipped WMS records by tracking number into DSCO shipments. `toDscoSku` maps a
 * Lingxing sku back to the DSCO line key (reverse map; unmapped passes through). A line whose
 * quantity is spread over several tracking numbers carries `packageSpanFlag: true`.
 * `timezone` is the zone of the records' times (ship-wms.ts has already made them UTC).
 */
export function planShipments(
  order: DscoOrder,
  records: WmsRecord[],
  alreadySent: ReadonlySet<string>,
  toDscoSku: (lingxingSku: string) => string,
  timezone = 'UTC',
  preference: LineKeyPreference = 'sku',
  options: PlanShipmentOptions = {},
): ShipmentPlan {
  const byTracking = new Map<string, { date: Date; wid?: string; qty: Map<string, number> }>();
  const shippedQty = new Map<string, number>();
  const problems: string[] = [];
  let lastShipDate: Date | undefined;

  for (const record of records) {
    const shipped = shippedOutbound(record, timezone, problems);
    if (!shipped) continue;
    const { tracking, date } = shipped;
    const group = byTracking.get(tracking) ?? { date, qty: new Map<string, number>() };
    if (date > group.date) group.date = date;
    group.wid ??= record.wid ? String(record.wid) : undefined;
    for (const [sku, count] of productCounts(record)) {
      const key = toDscoSku(sku);
      group.qty.set(key, (group.qty.get(key) ?? 0) + count);
      shippedQty.set(key, (shippedQty.get(key) ?? 0) + count);
    }
    byTracking.set(tracking, group);
    if (!lastShipDate || date > lastShipDate) lastShipDate = date;
  }

  // A line spans packages when it is in several of them, or when this package holds less than
  // the line's ordered quantity (the rest ships, or shipped, under another tracking number).
  const packagesPerKey = new Map<string, number>();
  for (const group of byTracking.values()) for (const key of group.qty.keys()) packagesPerKey.set(key, (packagesPerKey.get(key) ?? 0) + 1);
  const ordered = orderedQty(order, preference);

  const shipMethod = order.shipMethod ?? order.requestedShipMethod ?? order.shippingServiceLevelCode;
  const toSend: DscoShipment[] = [];
  // Duplicate-sku lines are filled in order; packages DSCO already has consume theirs too.
  const allocate = makeLineAllocator(order, preference);
  for (const [trackingNumber, group] of byTracking) {
    const lines = [...group.qty].flatMap(([key, quantity]) => allocate(key, quantity).map((share) => ({ key, ...share })));
    if (alreadySent.has(trackingNumber)) continue;
    const warehouseCode = group.wid ? options.toWarehouseCode?.(group.wid) : undefined;
    toSend.push({
      trackingNumber,
      shipDate: toRfc3339(group.date),
      ...(order.shipCarrier ? { shipCarrier: order.shipCarrier } : {}),
      ...(shipMethod ? { shipMethod } : {}),
      ...(order.shippingServiceLevelCode ? { shippingServiceLevelCode: order.shippingServiceLevelCode } : {}),
      ...(warehouseCode ? { warehouseCode } : {}),
      lineItems: lines.map(({ key, line, quantity }) => {
        const spread = (packagesPerKey.get(key) ?? 0) > 1 || quantity < (line?.quantity ?? ordered.get(key) ?? 0);
        return { quantity, ...lineIdentifiers(key, line, preference), ...(spread ? { packageSpanFlag: true } : {}) };
      }),
    });
  }
  return { toSend, shippedQty, ...(lastShipDate ? { lastShipDate } : {}), problems };
}

/** Ordered quantity per line key, summed over duplicate lines. */
export function orderedQty(order: DscoOrder, preference: LineKeyPreference = 'sku'): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of order.lineItems) {
    const sku = lineKey(line, preference) ?? '';
    out.set(sku, (out.get(sku) ?? 0) + line.quantity);
  }
  return out;
}

/** Whether shipped quantities cover every ordered line. */
export function coversOrder(order: DscoOrder, shippedQty: ReadonlyMap<string, number>, preference: LineKeyPreference = 'sku'): boolean {
  for (const [sku, qty] of orderedQty(order, preference)) if ((shippedQty.get(sku) ?? 0) < qty) return false;
  return true;
}

/** Comma-joined, deduplicated tracking numbers. */
export function joinTracking(existing: string | null | undefined, added: Iterable<string>): string {
  const all = new Set((existing ?? '').split(',').map((t) => t.trim()).filter(Boolean));
  for (const t of added) all.add(t);
  return [...all].join(',');
}

export function splitTracking(value: string | null | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((t) => t.trim()).filter(Boolean));
}
