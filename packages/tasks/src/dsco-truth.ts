import type { DscoClient, DscoOrder } from '@dlsync/dsco';
import { effectiveDscoStatus } from './rules/index.js';

/** What DSCO itself says about a PO right now. */
export interface DscoTruth {
  /** dscoStatus, or `completed` when the lifecycle says so. */
  status?: string;
  dscoStatus?: string;
  lifecycle?: string;
  /** Tracking numbers of the packages DSCO has recorded for the order (v3 `packages[]`). */
  trackingNumbers: Set<string>;
}

/** The local rows to look up: their POs and the creation times that bound the scan. */
export interface TruthQuery {
  po_number: string;
  /** UTC epoch seconds of dscoCreateDate. */
  dsco_create_time: number;
}

export interface ReadDscoTruthOptions {
  /** Read this single PO by key instead of scanning (a task's onlyPoNumber run). */
  byPo?: boolean;
  signal?: AbortSignal;
}

/**
 * Reads the DSCO state of `rows`, batched: one `/order/page` scan over the creation window
 * the rows span (stopping once all are seen), or `GET /order/` by PO for a single-PO run.
 * POs DSCO does not know are absent from the result.
 */
export async function readDscoTruth(
  dsco: DscoClient,
  rows: readonly TruthQuery[],
  { byPo = false, signal }: ReadDscoTruthOptions = {},
): Promise<Map<string, DscoTruth>> {
  const out = new Map<string, DscoTruth>();
  if (rows.length === 0) return out;
  if (byPo) {
    for (const { po_number } of rows) {
      const order = await dsco.getOrderByPo(po_number, { ...(signal && { signal }) });
      if (order) out.set(po_number, truthOf(order));
    }
    return out;
  }
  const wanted = new Set(rows.map((r) => r.po_number));
  const times = rows.map((r) => r.dsco_create_time);
  // `until` is inclusive and dsco_create_time is floored to the second: +1 s covers the newest.
  const createdSince = new Date(Math.min(...times) * 1000);
  const until = new Date((Math.max(...times) + 1) * 1000);
  for await (const page of dsco.iterateOrders({ createdSince, until, ...(signal && { signal }) })) {
    for (const order of page.orders) {
      if (wanted.has(order.poNumber)) out.set(order.poNumber, truthOf(order));
    }
    if (out.size === wanted.size) break;
  }
  return out;
}

function truthOf(order: DscoOrder): DscoTruth {
  const status = effectiveDscoStatus(order);
  return {
    ...(status !== undefined && { status }),
    ...(order.dscoStatus !== undefined && { dscoStatus: order.dscoStatus }),
    ...(order.dscoLifecycle !== undefined && { lifecycle: order.dscoLifecycle }),
    trackingNumbers: packageTrackingNumbers(order),
  };
}

/** Tracking numbers in an order's `packages[]`, read leniently (DSCO adds fields; odd entries are ignored). */
export function packageTrackingNumbers(order: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const packages = order.packages;
  if (!Array.isArray(packages)) return out;
  for (const pkg of packages) {
    const tracking = typeof pkg === 'object' && pkg !== null ? (pkg as { trackingNumber?: unknown }).trackingNumber : undefined;
    if (typeof tracking === 'string' && tracking.trim() !== '') out.add(tracking.trim());
  }
  return out;
}
