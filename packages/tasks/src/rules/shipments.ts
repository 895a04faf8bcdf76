import type { DscoShipment as WireShipment, DscoShipmentLineItem } from '@dlsync/dsco';
import type { DscoOrder } from './dsco-order.js';
import { lineIdentifiers, lineKey, type LineKeyPreference } from './line-key.js';
import { parseWmsTime, toRfc3339 } from './wms-time.js';

/** The part of a WMS outbound record the rules read. */
export interface WmsRecord {
  tracking_no?: string | null;
  delivered_at?: string | null;
  stock_delivered_at?: string | null;
  status?: number | string | null;
  product_info?: { sku?: string | null; seller_sku?: string | null; count?: number | string | null }[] | null;
}

/** A shipment line as dlsync sends it: by the line key as `sku`, plus DSCO's ids when the line matches. */
export type ShipmentLine = DscoShipmentLineItem & { sku: string };

export type DscoShipment = Omit<WireShipment, 'lineItems'> & { lineItems: ShipmentLine[] };

export interface ShipmentPlan {
  /** Shipments with tracking numbers not sent before. */
  toSend: DscoShipment[];
  /** Quantity shipped per partnerSku over every shipped record, sent before or now. */
  shippedQty: Map<string, number>;
  /** Latest ship time over every shipped record. */
  lastShipDate?: Date;
  /** Records that cannot become a shipment, with why. */
  problems: string[];
}

const isShipped = (r: WmsRecord): boolean => Number(r.status) === 3;

/**
 * Groups shipped WMS records by tracking number into DSCO shipments (SPEC §6 ship_to_dsco).
 * `toDscoSku` maps a Lingxing sku back to the DSCO partnerSku (reverse map; unmapped passes through).
 */
export function planShipments(
  order: DscoOrder,
  records: WmsRecord[],
  alreadySent: ReadonlySet<string>,
  toDscoSku: (lingxingSku: string) => string,
  timezone = 'UTC',
  preference: LineKeyPreference = 'sku',
): ShipmentPlan {
  const byTracking = new Map<string, { date?: Date; qty: Map<string, number> }>();
  const shippedQty = new Map<string, number>();
  const problems: string[] = [];
  let lastShipDate: Date | undefined;

  for (const record of records.filter(isShipped)) {
    const tracking = record.tracking_no?.trim();
    if (!tracking) {
      problems.push('shipped WMS record without tracking number');
      continue;
    }
    const date = parseWmsTime(record.delivered_at, timezone) ?? parseWmsTime(record.stock_delivered_at, timezone);
    if (!date) {
      problems.push(`tracking ${tracking} has no ship time`);
      continue;
    }
    const group = byTracking.get(tracking) ?? { qty: new Map<string, number>() };
    if (!group.date || date > group.date) group.date = date;
    for (const p of record.product_info ?? []) {
      const sku = p.sku ?? p.seller_sku;
      const count = Number(p.count);
      if (!sku || !Number.isFinite(count) || count <= 0) continue;
      const partnerSku = toDscoSku(sku);
      group.qty.set(partnerSku, (group.qty.get(partnerSku) ?? 0) + count);
      shippedQty.set(partnerSku, (shippedQty.get(partnerSku) ?? 0) + count);
    }
    byTracking.set(tracking, group);
    if (!lastShipDate || date > lastShipDate) lastShipDate = date;
  }

  const shipMethod = order.shipMethod ?? order.requestedShipMethod ?? order.shippingServiceLevelCode;
  const toSend: DscoShipment[] = [];
  for (const [trackingNumber, group] of byTracking) {
    if (alreadySent.has(trackingNumber)) continue;
    toSend.push({
      trackingNumber,
      shipDate: toRfc3339(group.date!),
      ...(order.shipCarrier ? { shipCarrier: order.shipCarrier } : {}),
      ...(shipMethod ? { shipMethod } : {}),
      ...(order.shippingServiceLevelCode ? { shippingServiceLevelCode: order.shippingServiceLevelCode } : {}),
      lineItems: [...group.qty].map(([key, quantity]) => {
        const line = order.lineItems.find((l) => lineKey(l, preference) === key);
        return { quantity, ...lineIdentifiers(key, line) };
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
