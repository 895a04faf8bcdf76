import type { PulledOrderRow } from '@dlsync/store';
import { formatMskus, pulledStatus, type DscoOrder } from './dsco-order.js';
import type { LineKeyPreference } from './line-key.js';

/** Where the first pull starts when the table is empty (SPEC §6). */
export const PULL_EPOCH = new Date('2025-01-01T00:00:00Z');

/** DSCO refuses an `until` less than this far in the past. */
const UNTIL_MIN_AGE_MS = 5_000;

export interface PullWindow {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
  /** What `/order/page` is asked for: min(now − 5 s, end). DSCO's `until` is inclusive; {@link inPullWindow} drops `end` itself. */
  until: Date;
  /** Where `start` came from. */
  source: 'manual' | 'cursor' | 'epoch';
}

export interface PullWindowInput {
  /** A manual `[start, end)` overrides the cursor. */
  manual?: { start: Date; end: Date };
  /** Newest dsco_create_time in the table (epoch seconds), undefined when empty. */
  maxCreateTime: number | undefined;
  /** Overlap re-read behind the newest known order. */
  lookbackSeconds: number;
  now: Date;
}

/**
 * The creation window one pull reads (SPEC §6): a manual window as given, else from the cursor
 * (newest known order − lookback, or {@link PULL_EPOCH} for an empty table) up to now.
 */
export function pullWindow({ manual, maxCreateTime, lookbackSeconds, now }: PullWindowInput): PullWindow {
  const latest = now.getTime() - UNTIL_MIN_AGE_MS;
  if (manual) {
    return { start: manual.start, end: manual.end, until: new Date(Math.min(latest, manual.end.getTime())), source: 'manual' };
  }
  const start = maxCreateTime === undefined ? PULL_EPOCH : new Date((maxCreateTime - lookbackSeconds) * 1000);
  return { start, end: now, until: new Date(Math.min(latest, now.getTime())), source: maxCreateTime === undefined ? 'epoch' : 'cursor' };
}

/** Whether the order was created in `[start, end)` (DSCO's bounds are both inclusive). */
export function inPullWindow(order: Pick<DscoOrder, 'dscoCreateDate'>, window: Pick<PullWindow, 'start' | 'end'>): boolean {
  const created = Date.parse(order.dscoCreateDate);
  return created >= window.start.getTime() && created < window.end.getTime();
}

export type PulledRowResult = { ok: true; row: PulledOrderRow } | { ok: false; reason: string };

/**
 * The dsco_order_sync row of a parsed order; `payload` is the order as received, stored as is.
 * An order whose status dlsync does not know is refused rather than guessed at.
 */
export function toPulledRow(order: DscoOrder, payload: unknown, preference: LineKeyPreference = 'sku'): PulledRowResult {
  const status = pulledStatus(order);
  if (status === undefined) return { ok: false, reason: `unknown DSCO status ${order.dscoStatus ?? '(none)'}` };
  return {
    ok: true,
    row: {
      po_number: order.poNumber,
      dsco_order_id: order.dscoOrderId ?? null,
      dsco_retailer_id: order.dscoRetailerId ?? null,
      dsco_status: order.dscoStatus ?? null,
      dsco_create_time: order.createTime,
      mskus: formatMskus(order, preference),
      warehouse_id: order.shipWarehouseCode ?? null,
      shipment: order.shippingServiceLevelCode ?? null,
      payload,
      pulledStatus: status,
    },
  };
}
