import type { DscoInvoice } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { findInvoice } from './invoice-confirm.js';
import { buildInvoice, coversOrder, planShipments } from './rules/index.js';
import { DSCO_PAGE_CHUNK_SIZE, toCandidates, type Candidate } from './row-source.js';
import { failOrders } from './remote-failures.js';
import { coveringShipFacts } from './ship-facts.js';
import { oldestOrderDate, readShippedWms } from './ship-wms.js';
import { withEarlierSettling, type SentWrite, type VerifiedWrites } from './verified-writes/index.js';
import { makeInvoiceWrites } from './writes/invoice-writes.js';
import { writeDepsOf, writeOptionsOf } from './writes/task-write-deps.js';

type Ctx = TaskContext<'invoice_to_dsco'>;

interface InvoiceTally {
  invoicesSent: number;
  advanced: number;
  notShipped: number;
}

/** What each PO's confirmed invoice is logged with (set when it is sent). */
type Snapshots = Map<string, Record<string, unknown>>;

/** An order ready to invoice, with the tracking numbers that are logged alongside (never sent). */
interface ReadyInvoice extends Candidate {
  invoice: DscoInvoice;
  trackingNumbers: string[];
}

/**
 * SPEC §6 invoice_to_dsco: rows at 4, one invoice per PO (invoiceId = poNumber), only once
 * WMS shows every ordered unit shipped. An invoice is a verified write: the row moves to 5
 * (with dsco_invoice_id) only once DSCO's invoice log says it was applied; a refusal puts
 * DSCO's reason on the row, which stays at 4 (check_orders lists it), unless `GET /invoice`
 * shows DSCO holds the invoice anyway (a duplicate invoiceId: an earlier send went through).
 * A PO whose invoice write is pending or in doubt is never sent again meanwhile. A manual
 * single-PO run asks DSCO first. Shipped quantities come from the WMS facts ship_to_dsco kept
 * on the row when they show the order shipped whole; only the other rows are read from WMS.
 * The run's invoices fill DSCO's bodies by bytes (up to its 5 MB), not one body per chunk.
 */
export async function invoiceToDsco(ctx: Ctx): Promise<void> {
  // The WMS skus are mapped back to line keys to check coverage; an ambiguous map could pass a short order.
  ctx.mapping.assertReversible(['sku']);
  const tally: InvoiceTally = { invoicesSent: 0, advanced: 0, notShipped: 0 };
  const snapshots = new Map<string, Record<string, unknown>>();
  const writes = makeInvoiceWrites(ctx, writeDepsOf(ctx), tally, (po) => snapshots.get(po), writeOptionsOf(ctx));
  // Earlier runs' invoices settle beside this run, which leaves their POs alone.
  const { earlier, fresh } = await withEarlierSettling(ctx, writes, 4, DSCO_PAGE_CHUNK_SIZE, async (chunks) => {
    let handled = 0;
    // Most rows carry ship facts and need no WMS read: a DSCO-page-sized chunk gathers the few
    // that do into fewer WMS calls (the Lingxing client still lists 200 POs a call).
    for await (const rows of chunks) {
      const candidates = toCandidates(ctx, rows.filter((r) => !writes.reported().has(r.po_number)), ctx.job.multi_ban);
      if (ctx.onlyPoNumber !== undefined) {
        for (const c of candidates) await invoiceVerified(ctx, c, tally, writes, snapshots);
      } else await invoiceChunk(ctx, candidates, tally, writes, snapshots);
      handled += rows.length;
      ctx.progress((handled / Math.max(ctx.size, handled)) * 100);
    }
    tally.invoicesSent += itemsOf(await writes.flush());
  });
  ctx.report.detail('writes', { earlier, fresh });
  ctx.report.detail('invoices_sent', tally.invoicesSent);
  ctx.report.detail('advanced', tally.advanced);
  ctx.report.detail('not_fully_shipped', tally.notShipped);
}

/** Scheduled path: recorded invoices advance as they are; the rest are sent as verified writes. */
async function invoiceChunk(ctx: Ctx, candidates: Candidate[], tally: InvoiceTally, writes: VerifiedWrites<DscoInvoice>, snapshots: Snapshots): Promise<void> {
  const recorded = candidates.filter((c) => c.row.dsco_invoice_id);
  const fresh = candidates.filter((c) => !c.row.dsco_invoice_id);
  await advanceAll(ctx, recorded.map((c) => ({ c, invoiceId: c.row.dsco_invoice_id!, snapshot: { invoice: 'already recorded' } })), tally);
  await sendVerified(ctx, await prepareInvoices(ctx, await withoutOpenWrites(ctx, fresh, writes), tally), tally, writes, snapshots);
}

/** Keeps the candidates without an invoice write pending or in doubt (DSCO may still be applying it). */
async function withoutOpenWrites(ctx: Ctx, candidates: Candidate[], writes: VerifiedWrites<DscoInvoice>): Promise<Candidate[]> {
  const open = await writes.openKeys(candidates.map((c) => c.row.po_number));
  for (const po of open) ctx.orderDone(po, 'waiting', 'an invoice write of it is still pending or in doubt at DSCO');
  return candidates.filter((c) => !open.has(c.row.po_number));
}

/**
 * Queues the ready invoices the engine admits; a body goes once the run's queued invoices fill
 * DSCO's byte budget, the last one when the run flushes.
 */
async function sendVerified(ctx: Ctx, ready: ReadyInvoice[], tally: InvoiceTally, writes: VerifiedWrites<DscoInvoice>, snapshots: Snapshots): Promise<void> {
  if (ready.length === 0) return;
  const byPo = new Map(ready.map((r) => [r.row.po_number, r]));
  for (const r of ready) snapshots.set(r.row.po_number, snapshotOf(r));
  const { ready: admitted, held } = await writes.admit(ready.map((r) => r.invoice));
  for (const h of held) ctx.orderDone(h.key, h.result, h.reason, snapshotOf(byPo.get(h.key)!));
  const { sent, oversize } = await writes.enqueue(admitted);
  for (const invoice of oversize) ctx.orderDone(invoice.poNumber, 'skipped', "the invoice alone exceeds DSCO's body limit");
  tally.invoicesSent += itemsOf(sent);
}

function itemsOf(sent: readonly SentWrite<DscoInvoice>[]): number {
  return sent.reduce((n, w) => n + w.items.length, 0);
}

/** Manual single-PO path: DSCO is asked first; an invoice it holds is recorded, otherwise one is sent. */
async function invoiceVerified(ctx: Ctx, c: Candidate, tally: InvoiceTally, writes: VerifiedWrites<DscoInvoice>, snapshots: Snapshots): Promise<void> {
  const po = c.row.po_number;
  let found;
  try {
    found = await findInvoice(ctx.dsco, po, ctx.signal);
  } catch (err) {
    failOrders(ctx, [po], 'DSCO invoice read', err);
    return;
  }
  if (found) {
    await advance(ctx, c, found.invoiceId ?? po, tally, { invoice: 'found in DSCO' });
    return;
  }
  await sendVerified(ctx, await prepareInvoices(ctx, await withoutOpenWrites(ctx, [c], writes), tally), tally, writes, snapshots);
}

/**
 * Builds the invoices of the orders shipped whole: from the WMS facts ship_to_dsco kept on the
 * row when they cover the order, else from one WMS read for the rest of the chunk.
 */
async function prepareInvoices(ctx: Ctx, candidates: Candidate[], tally: InvoiceTally): Promise<ReadyInvoice[]> {
  const ready: ReadyInvoice[] = [];
  const unknown: Candidate[] = [];
  for (const c of candidates) {
    const kept = coveringShipFacts(c.row.ship_facts, c.order, ctx.config.dsco.line_key);
    if (!kept) unknown.push(c);
    else pushBuilt(ctx, ready, c, kept.lastShipDate, kept.trackingNumbers);
  }
  ready.push(...(await invoicesFromWms(ctx, unknown, tally)));
  return ready;
}

/**
 * Builds the invoices of the orders WMS shows fully shipped (one WMS read per 200 POs); the
 * others are reported here. A failed WMS read fails the orders it was for.
 */
async function invoicesFromWms(ctx: Ctx, candidates: Candidate[], tally: InvoiceTally): Promise<ReadyInvoice[]> {
  if (candidates.length === 0) return [];
  let wms: Awaited<ReturnType<typeof readShippedWms>>;
  try {
    const since = oldestOrderDate(candidates.map((c) => c.order));
    wms = await readShippedWms(ctx.lingxing, ctx.mapping, candidates.map((c) => c.row.po_number), { signal: ctx.signal, ...(since && { since }) });
  } catch (err) {
    failOrders(ctx, candidates.map((c) => c.row.po_number), 'WMS outbound read', err);
    return [];
  }
  const ready: ReadyInvoice[] = [];
  for (const c of candidates) {
    const po = c.row.po_number;
    const plan = planShipments(c.order, wms.get(po) ?? [], new Set(), ctx.mapping.dscoSkuOf, 'UTC', ctx.config.dsco.line_key);
    if (!plan.lastShipDate || !coversOrder(c.order, plan.shippedQty, ctx.config.dsco.line_key)) {
      tally.notShipped++;
      ctx.orderDone(po, 'waiting', 'not fully shipped', { shipped: Object.fromEntries(plan.shippedQty) });
      continue;
    }
    pushBuilt(ctx, ready, c, plan.lastShipDate, plan.toSend.map((s) => s.trackingNumber));
  }
  return ready;
}

/** Adds the order's invoice, dated by its latest ship time, to `ready`; an order it cannot be built for is skipped with why. */
function pushBuilt(ctx: Ctx, ready: ReadyInvoice[], c: Candidate, lastShipDate: Date, trackingNumbers: string[]): void {
  const built = buildInvoice(c.order, lastShipDate, { lineKey: ctx.config.dsco.line_key, unitPrice: ctx.job.unit_price });
  if (!built.ok) ctx.orderDone(c.row.po_number, 'skipped', built.reason);
  else ready.push({ ...c, invoice: built.invoice, trackingNumbers });
}

interface Settled {
  c: Candidate;
  invoiceId: string;
  snapshot: Record<string, unknown>;
}

/** Guarded 4 → 5 with the invoice id, one statement for all of them. */
async function advanceAll(ctx: Ctx, settled: readonly Settled[], tally: InvoiceTally): Promise<void> {
  const moved = new Set(
    await ctx.store.orders.transitionEach(
      settled.map(({ c, invoiceId }) => ({ po: c.row.po_number, patch: { dsco_invoice_id: invoiceId } })),
      4,
      5,
    ),
  );
  for (const { c, invoiceId, snapshot } of settled) {
    const po = c.row.po_number;
    if (!moved.has(po)) {
      ctx.orderDone(po, 'skipped', 'status changed during the run', snapshot);
      continue;
    }
    tally.advanced++;
    ctx.orderDone(po, 'ok', undefined, { invoice_id: invoiceId, ...snapshot });
  }
}

function advance(ctx: Ctx, c: Candidate, invoiceId: string, tally: InvoiceTally, snapshot: Record<string, unknown>): Promise<void> {
  return advanceAll(ctx, [{ c, invoiceId, snapshot }], tally);
}

function snapshotOf(r: ReadyInvoice): Record<string, unknown> {
  return { tracking_numbers: r.trackingNumbers, total: r.invoice.totalAmount, invoice_date: r.invoice.invoiceDate };
}
