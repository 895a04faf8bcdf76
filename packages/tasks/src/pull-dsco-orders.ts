import type { DscoOrder as WireOrder } from '@dlsync/dsco';
import { prefetchOne } from '@dlsync/remote';
import type { TaskContext } from '@dlsync/runner';
import { DSCO_ORDERS_STREAM, type PulledOrderRow, type UpsertPulledResult } from '@dlsync/store';
import { planPullScan, type PullScan } from './pull-scan.js';
import { parseDscoOrder } from './rules/dsco-order.js';
import { inPullWindow, PULL_EPOCH, toPulledRow, type PullWindow } from './rules/pull-row.js';

type Ctx = TaskContext<'pull_dsco_orders'>;

/** `ordersPerPage`: DSCO's maximum, so 100k orders are 100 pages and 100 upsert statements. */
const PER_PAGE = 1000;

interface PullTally {
  /** Orders DSCO returned (rejected entries included). */
  pulled: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Returned by DSCO but outside [start, end): `until` is inclusive, `end` is not. */
  outsideWindow: number;
  /** Existing rows whose status moved, per `from→to`. */
  statusChanges: Record<string, number>;
  /** Orders already in Lingxing whose address or lines changed (flagged for operators). */
  flagged: number;
}

/**
 * pull_dsco_orders. A scheduled scan reads every order DSCO updated since the watermark (minus
 * `overlap_seconds`) up to now − 5 s, page by page (memory stays flat), and upserts each page in
 * one batched statement; only once the whole window has been read does the watermark move to its
 * `until`. A scan capped by `size` or stopped by an error leaves the watermark where it was, so
 * the next run reads the window again (upserts are idempotent): whatever order DSCO returns the
 * orders in, none is passed over. Reading by update time also brings back changes to stored
 * orders — cancellations, address and line edits. A manual window reads by creation date and a
 * single-PO pull reads one order; neither moves the watermark.
 */
export async function pullDscoOrders(ctx: Ctx): Promise<void> {
  const tally: PullTally = { pulled: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, outsideWindow: 0, statusChanges: {}, flagged: 0 };
  try {
    if (ctx.onlyPoNumber !== undefined) await pullOne(ctx, ctx.onlyPoNumber, tally);
    else await pullWindowed(ctx, tally);
  } finally {
    for (const [key, value] of Object.entries(tally)) ctx.report.detail(key, value);
  }
}

async function pullWindowed(ctx: Ctx, tally: PullTally): Promise<void> {
  if (ctx.window) {
    const scan = planPullScan({ manual: ctx.window, watermark: undefined, overlapSeconds: 0, now: ctx.now() });
    if (scan.kind !== 'manual') return;
    logWindow(ctx, scan);
    const { capped } = await readWindow(ctx, { createdSince: scan.window.start, until: scan.window.until }, scan.window, tally, ctx.size);
    ctx.report.detail('capped', capped);
    return;
  }
  await pullScheduled(ctx, tally);
}

/**
 * Window after window from the watermark up to now − 5 s; the watermark moves to a window's end
 * only once that window has been read in full. A capped or failed window leaves it there.
 */
async function pullScheduled(ctx: Ctx, tally: PullTally): Promise<void> {
  const start = await ctx.store.watermarks.get(DSCO_ORDERS_STREAM);
  let watermark = start;
  let left = ctx.size;
  let windows = 0;
  let capped = false;
  const now = ctx.now();
  for (;;) {
    // The overlap covers updates DSCO shows late behind an earlier run's `until`; the next window
    // of the same run starts where a window read just now ended, long enough ago to be settled.
    const overlapSeconds = windows === 0 ? ctx.job.overlap_seconds : 0;
    const scan = planPullScan({ watermark, overlapSeconds, maxWindowSeconds: ctx.job.max_window_seconds, now });
    if (scan.kind !== 'watermark') return;
    if (windows === 0) logWindow(ctx, scan);
    windows++;
    const read = await readWindow(ctx, { updatedSince: scan.updatedSince, until: scan.until }, undefined, tally, left);
    left -= read.handled;
    if (read.capped) {
      capped = true;
      break;
    }
    watermark = await ctx.store.watermarks.advance(DSCO_ORDERS_STREAM, scan.until);
    if (scan.last) break;
  }
  ctx.report.detail('capped', capped);
  ctx.report.detail('windows', windows);
  const moved = watermark !== start;
  ctx.report.detail('watermark', { from: (start ?? PULL_EPOCH).toISOString(), moved, ...(moved && watermark && { to: watermark.toISOString() }) });
  if (capped) ctx.logger.warn('pull capped before now: the rest of the window is read next run', { size: ctx.size, watermark: watermark?.toISOString() ?? null });
}

/** Reads one window page by page; stops at a page boundary once `budget` orders were handled. */
async function readWindow(
  ctx: Ctx,
  bounds: { createdSince: Date; until: Date } | { updatedSince: Date; until: Date },
  keep: PullWindow | undefined,
  tally: PullTally,
  budget: number,
): Promise<{ handled: number; capped: boolean }> {
  let handled = 0;
  const scroll = ctx.dsco.iterateOrders({ ...bounds, perPage: PER_PAGE, signal: ctx.signal });
  // The next page downloads while this one is parsed and upserted — unless one page is all this
  // run may take, when a prefetched page would be a wasted call.
  const pages = budget > PER_PAGE ? prefetchOne(scroll) : scroll;
  for await (const page of pages) {
    tally.pulled += page.orders.length + page.rejected.length;
    handled += await ingest(ctx, page.orders, page.rejected, keep, tally);
    if (handled >= budget) return { handled, capped: true };
  }
  return { handled, capped: false };
}

function logWindow(ctx: Ctx, scan: PullScan): void {
  const described = describeScan(scan);
  ctx.report.detail('window', described);
  ctx.logger.info('pull window', described);
}

function describeScan(scan: PullScan): Record<string, string> {
  if (scan.kind === 'manual') {
    const { start, end, until } = scan.window;
    return { by: 'created', start: start.toISOString(), end: end.toISOString(), until: until.toISOString(), source: 'manual' };
  }
  return { by: 'updated', start: scan.updatedSince.toISOString(), until: scan.until.toISOString(), source: scan.source };
}

async function pullOne(ctx: Ctx, po: string, tally: PullTally): Promise<void> {
  const order = await ctx.dsco.getOrderByPo(po, { signal: ctx.signal });
  if (!order) {
    tally.skipped++;
    ctx.orderDone(po, 'skipped', 'not found in DSCO');
    return;
  }
  tally.pulled++;
  await ingest(ctx, [order], [], undefined, tally);
}

/**
 * Parses, filters and upserts one page; returns how many orders it handled (written or
 * skipped). A malformed order is skipped with its reason and never holds back the good ones.
 */
async function ingest(ctx: Ctx, orders: readonly WireOrder[], rejected: readonly unknown[], window: PullWindow | undefined, tally: PullTally): Promise<number> {
  const skip = (po: string, reason: string): void => {
    tally.skipped++;
    ctx.orderDone(po, 'skipped', reason);
  };
  for (const raw of rejected) skip(poOf(raw) ?? '(unknown)', 'malformed order: poNumber is required');

  const rows: PulledOrderRow[] = [];
  let outside = 0;
  for (const wire of orders) {
    const parsed = parseDscoOrder(wire);
    if (!parsed.ok) {
      skip(parsed.poNumber ?? wire.poNumber, parsed.reason);
      continue;
    }
    if (window && !inPullWindow(parsed.order, window)) {
      outside++;
      continue;
    }
    const built = toPulledRow(parsed.order, wire, ctx.config.dsco.line_key);
    if (built.ok) rows.push(built.row);
    else skip(parsed.order.poNumber, built.reason);
  }
  tally.outsideWindow += outside;
  const handled = rejected.length + orders.length - outside;
  if (rows.length === 0) return handled;

  const result = await ctx.store.orders.upsertPulled(rows);
  addResult(tally, result);
  // Orders Postgres could not store (a NUL, a lone surrogate) were set aside, the rest written.
  const refused = new Map(result.rejected.map((r) => [r.po_number, r.reason]));
  for (const [po, reason] of refused) skip(po, reason);
  const changed = new Map(result.statusChanged.map((c) => [c.po_number, `${c.from}→${c.to}`]));
  const flagged = new Map(result.flagged.map((f) => [f.po_number, f.detail]));
  for (const [po, detail] of flagged) ctx.logger.warn('order changed after push', { po_number: po, changed: detail });
  for (const row of rows) {
    if (refused.has(row.po_number)) continue;
    const change = changed.get(row.po_number);
    const attention = flagged.get(row.po_number);
    const snapshot = { ...(change && { status: change }), ...(attention && { attention: `${attention} changed after push` }) };
    ctx.orderDone(row.po_number, 'ok', undefined, Object.keys(snapshot).length > 0 ? snapshot : undefined);
  }
  return handled;
}

function addResult(tally: PullTally, result: UpsertPulledResult): void {
  tally.inserted += result.inserted;
  tally.updated += result.updated;
  tally.unchanged += result.unchanged;
  tally.flagged += result.flagged.length;
  for (const { from, to } of result.statusChanged) {
    const key = `${from}→${to}`;
    tally.statusChanges[key] = (tally.statusChanges[key] ?? 0) + 1;
  }
}

function poOf(raw: unknown): string | undefined {
  const po = raw && typeof raw === 'object' ? (raw as { poNumber?: unknown }).poNumber : undefined;
  return (typeof po === 'string' || typeof po === 'number') && String(po).trim() !== '' ? String(po).slice(0, 100) : undefined;
}
