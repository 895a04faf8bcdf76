import type { LingxingClient, WmsOrder } from '@dlsync/lingxing';
import type { MappingResolver } from '@dlsync/mapping';
import type { WmsRecord } from './rules/index.js';

/**
 * WMS outbound statuses read: logistics ordered, shipping, shipped — every one but deleted (4).
 * Whether an outbound has shipped is decided by its tracking number and ship time (the rules),
 * not by the status alone.
 */
export const WMS_LIVE_STATUSES = [1, 2, 3];

export interface ReadShippedOptions {
  signal?: AbortSignal;
  /** The oldest of the orders was created then; the reads cover it up to now. (Default: the client's, 28 days) */
  since?: Date;
}

/**
 * WMS outbound records of `pos`, by PO: one `wmsOrderList` call per 200 POs and time window
 * (the client chunks, windows and pages), in every mapped shop (store ids as exact integers).
 * Without a window covering the orders' age Lingxing lists only the last month, so an order
 * older than that would never ship. Times come back in UTC (see {@link inUtc}).
 */
export async function readShippedWms(
  lingxing: LingxingClient,
  mapping: MappingResolver,
  pos: readonly string[],
  { signal, since }: ReadShippedOptions = {},
): Promise<Map<string, WmsRecord[]>> {
  const out = new Map<string, WmsRecord[]>();
  if (pos.length === 0) return out;
  const sids = mapping.storeIds();
  // Without a shop the query would not be scoped to our stores; that is a config error, not an order's.
  if (sids.length === 0) throw new Error('mapping.shop is empty: WMS outbound orders are looked up per shop');
  const wanted = new Set(pos);
  const records = await lingxing.wmsOrdersByPo(pos, sids, { status_arr: WMS_LIVE_STATUSES, ...(since && { since }), ...(signal && { signal }) });
  for (const record of records) {
    const utc = inUtc(record, (value) => lingxing.parseTime(value));
    // A record may serve several POs (merged shipment); each of them gets it.
    for (const po of new Set(record.platform_order_no)) {
      if (!wanted.has(po)) continue;
      const list = out.get(po);
      if (list) list.push(utc);
      else out.set(po, [utc]);
    }
  }
  return out;
}

/**
 * When the oldest of `orders` was created (DSCO create time, epoch seconds), for the WMS read
 * window; undefined when none has a usable time (the client's default window applies).
 */
export function oldestOrderDate(orders: ReadonlyArray<{ createTime: number }>): Date | undefined {
  const times = orders.map((o) => o.createTime).filter((t) => Number.isFinite(t) && t > 0);
  return times.length === 0 ? undefined : new Date(Math.min(...times) * 1000);
}

/**
 * The record with its warehouse-local times rewritten as UTC "YYYY-MM-DD HH:MM:SS", using the
 * client's configured zone; unparsable times become "" (no time).
 */
export function inUtc(record: WmsOrder, parseTime: (value: string) => Date | null): WmsRecord {
  const utc = (value: string): string => {
    const date = parseTime(value);
    return date ? date.toISOString().slice(0, 19).replace('T', ' ') : '';
  };
  return { ...record, delivered_at: utc(record.delivered_at), stock_delivered_at: utc(record.stock_delivered_at) };
}
