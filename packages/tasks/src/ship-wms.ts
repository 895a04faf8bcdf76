import type { LingxingClient, WmsOrder } from '@dlsync/lingxing';
import type { MappingResolver } from '@dlsync/mapping';
import type { WmsRecord } from './rules/index.js';

/** WMS outbound status "shipped". */
export const WMS_SHIPPED = 3;

export interface ReadShippedOptions {
  signal?: AbortSignal;
}

/**
 * Shipped WMS outbound records of `pos`, by PO: one `wmsOrderList` call per 200 POs (the
 * client chunks and pages), in every mapped shop. Times come back in UTC (see {@link inUtc}),
 * so the rules can read them without knowing the warehouse's zone.
 */
export async function readShippedWms(
  lingxing: LingxingClient,
  mapping: MappingResolver,
  pos: readonly string[],
  { signal }: ReadShippedOptions = {},
): Promise<Map<string, WmsRecord[]>> {
  const out = new Map<string, WmsRecord[]>();
  if (pos.length === 0) return out;
  const sids = mapping.sids();
  // Without a shop the query would not be scoped to our stores; that is a config error, not an order's.
  if (sids.length === 0) throw new Error('mapping.shop is empty: WMS outbound orders are looked up per shop');
  const wanted = new Set(pos);
  const records = await lingxing.wmsOrdersByPo(pos, sids, { status_arr: [WMS_SHIPPED], ...(signal && { signal }) });
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
