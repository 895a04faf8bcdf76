import { chunk, type DscoOrder } from '@dlsync/dsco';
import type { TaskContext, TimeWindow } from '@dlsync/runner';
import { latestFailedWrites, ORDER_STATUS } from '@dlsync/store';
import { gatherFacts, type ChunkFacts, type InvoiceBudget } from './check-facts.js';
import { checkOrder, effectiveDscoStatus, type MismatchKind } from './rules/index.js';

/** DSCO orders compared per step: one Lingxing list call's worth of POs. */
const CHUNK_SIZE = 200;
/** Mismatches listed in the report details (all of them are counted and logged). */
const MAX_LISTED_MISMATCHES = 1000;

interface Mismatch {
  po_number: string;
  kind: MismatchKind | 'not_in_dsco' | 'write_failed';
  local_status: number | null;
  expected: string;
  actual: string;
}

interface Tally {
  /** Invoices whose total DSCO finds different from the retailer's cost: PO → difference. */
  expectedDifferences: Record<string, number>;
  dscoOrders: number;
  checked: number;
  notChecked: number;
  perKind: Record<string, number>;
  listed: Mismatch[];
}

/**
 * SPEC §6 check_orders: compares the DSCO orders of a window [start, end) (or one PO) with
 * their local rows, Lingxing and DSCO invoices, and reports every mismatch with expected vs
 * actual. Manual only; it only reads — no database write, no remote write.
 */
export async function checkOrders(ctx: TaskContext<'check_orders'>): Promise<void> {
  const tally: Tally = { expectedDifferences: {}, dscoOrders: 0, checked: 0, notChecked: 0, perKind: {}, listed: [] };
  const budget: InvoiceBudget = { remaining: ctx.size, reads: 0, skipped: 0 };
  if (ctx.onlyPoNumber !== undefined) {
    if (ctx.window) ctx.report.detail('window', 'ignored: only_po_number given');
    await checkOnePo(ctx, ctx.onlyPoNumber, tally, budget);
  } else {
    if (!ctx.window) throw new Error('check_orders needs a window [start, end) or only_po_number');
    for await (const orders of ordersOfWindow(ctx, ctx.window)) {
      for (const batch of chunk(orders, CHUNK_SIZE)) await checkBatch(ctx, batch, tally, budget);
    }
  }
  ctx.report.detail('dsco_orders', tally.dscoOrders);
  ctx.report.detail('checked', tally.checked);
  ctx.report.detail('not_checked', tally.notChecked);
  ctx.report.detail('mismatches', tally.perKind);
  ctx.report.detail('mismatch_list', tally.listed);
  // Not a mismatch of state: the invoice exists, but DSCO reports it differs from the retailer's cost.
  ctx.report.detail('invoice_expected_differences', tally.expectedDifferences);
  ctx.report.detail('invoice_reads', budget.reads);
  if (budget.skipped > 0) ctx.report.detail('invoice_reads_skipped', budget.skipped);
  ctx.progress(100);
}

/** Pages of DSCO orders created in [start, end); `until` is inclusive at DSCO, so `end` is cut here. */
async function* ordersOfWindow(ctx: TaskContext<'check_orders'>, window: TimeWindow): AsyncGenerator<DscoOrder[]> {
  const start = window.start.getTime();
  const end = window.end.getTime();
  for await (const page of ctx.dsco.iterateOrders({ createdSince: window.start, until: window.end, signal: ctx.signal })) {
    if (page.rejected.length > 0) ctx.report.count('dsco_orders_without_po', page.rejected.length);
    // An unparsable date cannot be placed; DSCO's own filter put it in the window, so keep it.
    const created = (o: DscoOrder): number => Date.parse(o.dscoCreateDate ?? '');
    yield page.orders.filter((o) => Number.isNaN(created(o)) || (created(o) >= start && created(o) < end));
  }
}

async function checkOnePo(ctx: TaskContext<'check_orders'>, po: string, tally: Tally, budget: InvoiceBudget): Promise<void> {
  const order = await ctx.dsco.getOrderByPo(po, { signal: ctx.signal });
  if (order) return checkBatch(ctx, [order], tally, budget);
  const [row] = await ctx.store.orders.getByPos([po]);
  if (!row) {
    ctx.orderDone(po, 'skipped', 'not found in DSCO nor locally');
    return;
  }
  tally.checked++;
  record(ctx, tally, { po_number: po, kind: 'not_in_dsco', local_status: row.status, expected: 'DSCO order', actual: 'none' });
}

async function checkBatch(ctx: TaskContext<'check_orders'>, orders: DscoOrder[], tally: Tally, budget: InvoiceBudget): Promise<void> {
  tally.dscoOrders += orders.length;
  const facts = await gatherFacts(ctx, orders.map((o) => o.poNumber), budget);
  for (const order of orders) compare(ctx, order, facts, tally);
  await listFailedWrites(ctx, facts, tally);
}

/** The row status a PO waits at while a write of each kind is unconfirmed. */
const WAITS_AT: Record<string, number> = { ack: ORDER_STATUS.pushed, shipment: ORDER_STATUS.acknowledged, invoice: ORDER_STATUS.shipped };

/**
 * Writes DSCO's change log failed for POs still waiting at that write's status (an invoice DSCO
 * refused, a shipment it rejected): the order is stuck until someone looks, so it is listed.
 */
async function listFailedWrites(ctx: TaskContext<'check_orders'>, facts: ChunkFacts, tally: Tally): Promise<void> {
  for (const failed of await latestFailedWrites(ctx.store.db, [...facts.rows.keys()])) {
    const status = facts.rows.get(failed.po)?.status;
    if (status === undefined || WAITS_AT[failed.kind] !== status) continue;
    record(ctx, tally, { po_number: failed.po, kind: 'write_failed', local_status: status, expected: `DSCO applied the ${failed.kind}`, actual: failed.reason });
  }
}

function compare(ctx: TaskContext<'check_orders'>, order: DscoOrder, facts: ChunkFacts, tally: Tally): void {
  const po = order.poNumber;
  const unchecked = facts.unchecked.get(po);
  if (unchecked) {
    ctx.orderDone(po, unchecked.result, unchecked.reason);
    return;
  }
  const row = facts.rows.get(po);
  if (row?.status === 1) {
    tally.notChecked++;
    ctx.orderDone(po, 'ok', 'not checked');
    return;
  }
  tally.checked++;
  const difference = facts.expectedDifference.get(po);
  if (difference !== undefined && Object.keys(tally.expectedDifferences).length < MAX_LISTED_MISMATCHES) tally.expectedDifferences[po] = difference;
  const mismatch = checkOrder({
    localStatus: row?.status,
    dscoStatus: effectiveDscoStatus(order),
    inLingxing: facts.inLingxing.has(po),
    hasInvoice: facts.hasInvoice.get(po),
    localInvoiceId: row?.dsco_invoice_id,
  });
  if (!mismatch) {
    ctx.orderDone(po, 'ok');
    return;
  }
  record(ctx, tally, { po_number: po, local_status: row?.status ?? null, ...mismatch });
}

function record(ctx: TaskContext<'check_orders'>, tally: Tally, mismatch: Mismatch): void {
  const { po_number, kind, ...snapshot } = mismatch;
  tally.perKind[kind] = (tally.perKind[kind] ?? 0) + 1;
  if (tally.listed.length < MAX_LISTED_MISMATCHES) tally.listed.push(mismatch);
  else ctx.report.count('mismatch_list_omitted');
  ctx.orderDone(po_number, 'failed', kind, snapshot);
}
