import type { DscoOrder as WireOrder } from '@dlsync/dsco';
import { prefetchOne } from '@dlsync/remote';
import type { TaskContext } from '@dlsync/runner';
import type { PulledOrderRow, UpsertPulledResult } from '@dlsync/store';
import { parseDscoOrder } from './rules/dsco-order.js';
import { inPullWindow, pullWindow, toPulledRow, type PullWindow } from './rules/pull-row.js';

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
}

/**
 * SPEC §6 pull_dsco_orders: reads the orders created in the window page by page and upserts
 * each page in one batched statement, so memory stays flat however many orders the window
 * holds. Re-pulling is harmless: upsertPulled only refreshes what changed and moves statuses
 * forward. With `only_po_number` it reads and upserts exactly that PO (no window).
 */
export async function pullDscoOrders(ctx: Ctx): Promise<void> {
  const tally: PullTally = { pulled: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, outsideWindow: 0, statusChanges: {} };
  try {
    if (ctx.onlyPoNumber !== undefined) await pullOne(ctx, ctx.onlyPoNumber, tally);
    else await pullWindowed(ctx, tally);
  } finally {
    for (const [key, value] of Object.entries(tally)) ctx.report.detail(key, value);
  }
}

async function pullWindowed(ctx: Ctx, tally: PullTally): Promise<void> {
  const window = pullWindow({
    ...(ctx.window ? { manual: ctx.window } : {}),
    maxCreateTime: await ctx.store.orders.maxCreateTime(),
    lookbackSeconds: ctx.job.lookback_seconds,
    now: ctx.now(),
  });
  ctx.report.detail('window', {
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    until: window.until.toISOString(),
    source: window.source,
  });
  ctx.logger.info('pull window', { start: window.start.toISOString(), end: window.end.toISOString(), source: window.source });

  let handled = 0;
  let capped = false;
  const scroll = ctx.dsco.iterateOrders({ createdSince: window.start, until: window.until, perPage: PER_PAGE, signal: ctx.signal });
  // The next page downloads while this one is parsed and upserted — unless one page is all this
  // run may take, when a prefetched page would be a wasted call.
  const pages = ctx.size > PER_PAGE ? prefetchOne(scroll) : scroll;
  for await (const page of pages) {
    tally.pulled += page.orders.length + page.rejected.length;
    handled += await ingest(ctx, page.orders, page.rejected, window, tally);
    // Stop at a page boundary. The next run's cursor (newest stored − lookback) picks up from
    // there, which relies on DSCO paging in creation order; a manual window re-reads in full.
    if (handled >= ctx.size) {
      capped = true;
      break;
    }
  }
  ctx.report.detail('capped', capped);
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
    const built = toPulledRow(parsed.order, wire);
    if (built.ok) rows.push(built.row);
    else skip(parsed.order.poNumber, built.reason);
  }
  tally.outsideWindow += outside;
  const handled = rejected.length + orders.length - outside;
  if (rows.length === 0) return handled;

  const result = await ctx.store.orders.upsertPulled(rows);
  addResult(tally, result);
  const changed = new Map(result.statusChanged.map((c) => [c.po_number, `${c.from}→${c.to}`]));
  for (const row of rows) {
    const change = changed.get(row.po_number);
    ctx.orderDone(row.po_number, 'ok', undefined, change ? { status: change } : undefined);
  }
  return handled;
}

function addResult(tally: PullTally, result: UpsertPulledResult): void {
  tally.inserted += result.inserted;
  tally.updated += result.updated;
  tally.unchanged += result.unchanged;
  for (const { from, to } of result.statusChanged) {
    const key = `${from}→${to}`;
    tally.statusChanges[key] = (tally.statusChanges[key] ?? 0) + 1;
  }
}

function poOf(raw: unknown): string | undefined {
  const po = raw && typeof raw === 'object' ? (raw as { poNumber?: unknown }).poNumber : undefined;
  return (typeof po === 'string' || typeof po === 'number') && String(po).trim() !== '' ? String(po).slice(0, 100) : undefined;
}
