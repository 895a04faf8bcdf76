import { DscoApiError, type DscoInvoice } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { confirmInvoice, findInvoice } from './invoice-confirm.js';
import { buildInvoice, coversOrder, planShipments } from './rules/index.js';
import { rowChunksAtStatus, toCandidates, type Candidate } from './row-source.js';
import { isRejectedBatch, sendInChunks } from './dsco-send.js';
import { failOrders } from './remote-failures.js';
import { oldestOrderDate, readShippedWms } from './ship-wms.js';

type Ctx = TaskContext<'invoice_to_dsco'>;

interface InvoiceTally {
  invoicesSent: number;
  advanced: number;
  notShipped: number;
}

/** An order ready to invoice, with the tracking numbers that are logged alongside (never sent). */
interface ReadyInvoice extends Candidate {
  invoice: DscoInvoice;
  trackingNumbers: string[];
}

/**
 * SPEC §6 invoice_to_dsco: rows at 4, one invoice per PO (invoiceId = poNumber), only once
 * WMS shows every ordered unit shipped. DSCO refuses a second invoice with the same
 * invoiceId, which is what keeps a resend after a crash or an in-doubt send from billing
 * twice; a manual single-PO run asks DSCO first and confirms its send before advancing.
 */
export async function invoiceToDsco(ctx: Ctx): Promise<void> {
  // The WMS skus are mapped back to line keys to check coverage; an ambiguous map could pass a short order.
  ctx.mapping.assertReversible(['sku']);
  const tally: InvoiceTally = { invoicesSent: 0, advanced: 0, notShipped: 0 };
  let handled = 0;
  for await (const rows of rowChunksAtStatus(ctx, 4)) {
    const candidates = toCandidates(ctx, rows, ctx.job.multi_ban);
    if (ctx.onlyPoNumber !== undefined) {
      for (const c of candidates) await invoiceVerified(ctx, c, tally);
    } else await invoiceChunk(ctx, candidates, tally);
    handled += rows.length;
    ctx.progress((handled / Math.max(ctx.size, handled)) * 100);
  }
  ctx.report.detail('invoices_sent', tally.invoicesSent);
  ctx.report.detail('advanced', tally.advanced);
  ctx.report.detail('not_fully_shipped', tally.notShipped);
}

/** Scheduled path: recorded invoices advance as they are; the rest are sent in batches. */
async function invoiceChunk(ctx: Ctx, candidates: Candidate[], tally: InvoiceTally): Promise<void> {
  const recorded = candidates.filter((c) => c.row.dsco_invoice_id);
  const fresh = candidates.filter((c) => !c.row.dsco_invoice_id);
  await advanceAll(ctx, recorded.map((c) => ({ c, invoiceId: c.row.dsco_invoice_id!, snapshot: { invoice: 'already recorded' } })), tally);
  const ready = await prepareInvoices(ctx, fresh, tally);
  await sendInChunks(ready, {
    wire: (r) => r.invoice,
    send: (batch) => ctx.dsco.createInvoices(batch.map((r) => r.invoice), { signal: ctx.signal }),
    accepted: async (batch) => {
      tally.invoicesSent += batch.length;
      await advanceAll(ctx, batch.map((r) => ({ c: r, invoiceId: r.invoice.invoiceId, snapshot: snapshotOf(r) })), tally);
    },
    failed: async (batch, err) => {
      // A rejected batch is re-sent per invoice, so a duplicate arrives here alone.
      const [only] = batch;
      if (only && batch.length === 1 && isDuplicateInvoice(err)) await settleDuplicate(ctx, only, err, tally);
      else failOrders(ctx, batch.map((r) => r.row.po_number), 'invoice send', err);
    },
  });
}

/**
 * Manual single-PO path: DSCO is asked first; an invoice it holds is recorded, otherwise one is
 * sent and the order advances only once DSCO lists it.
 */
async function invoiceVerified(ctx: Ctx, c: Candidate, tally: InvoiceTally): Promise<void> {
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
  const [ready] = await prepareInvoices(ctx, [c], tally);
  if (!ready) return;
  try {
    await ctx.dsco.createInvoices([ready.invoice], { signal: ctx.signal });
    tally.invoicesSent++;
  } catch (err) {
    // In doubt or refused as a duplicate: DSCO may well hold the invoice, and the read below settles it.
    const mayExist = err instanceof DscoApiError && (err.inDoubt || isDuplicateInvoice(err));
    if (!mayExist) {
      failOrders(ctx, [po], 'invoice send', err);
      return;
    }
  }
  let confirmed;
  try {
    confirmed = await confirmInvoice(ctx.dsco, po, { signal: ctx.signal });
  } catch (err) {
    failOrders(ctx, [po], 'DSCO invoice read', err);
    return;
  }
  if (!confirmed) ctx.orderDone(po, 'failed', 'invoice not confirmed yet', snapshotOf(ready));
  else await advance(ctx, ready, confirmed.invoiceId ?? po, tally, snapshotOf(ready));
}

/**
 * Builds the invoices of the orders WMS shows fully shipped (one WMS read per 200 POs); the
 * others are reported here. A failed WMS read fails the orders it was for.
 */
async function prepareInvoices(ctx: Ctx, candidates: Candidate[], tally: InvoiceTally): Promise<ReadyInvoice[]> {
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
      ctx.orderDone(po, 'skipped', 'not fully shipped', { shipped: Object.fromEntries(plan.shippedQty) });
      continue;
    }
    const built = buildInvoice(c.order, plan.lastShipDate, { lineKey: ctx.config.dsco.line_key, unitPrice: ctx.job.unit_price });
    if (!built.ok) {
      ctx.orderDone(po, 'skipped', built.reason);
      continue;
    }
    ready.push({ ...c, invoice: built.invoice, trackingNumbers: plan.toSend.map((s) => s.trackingNumber) });
  }
  return ready;
}

/** DSCO refused the invoice as a duplicate: it holds one already, unless the read says otherwise. */
async function settleDuplicate(ctx: Ctx, r: ReadyInvoice, err: unknown, tally: InvoiceTally): Promise<void> {
  const po = r.row.po_number;
  let found;
  try {
    found = await findInvoice(ctx.dsco, po, ctx.signal);
  } catch (readErr) {
    failOrders(ctx, [po], 'DSCO invoice read', readErr);
    return;
  }
  if (found) await advance(ctx, r, found.invoiceId ?? po, tally, { ...snapshotOf(r), invoice: 'duplicate; found in DSCO' });
  else failOrders(ctx, [po], 'invoice send', err);
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

/** DSCO's refusal of an invoiceId it already has. */
function isDuplicateInvoice(err: unknown): boolean {
  return isRejectedBatch(err) && err.messages.some((m) => m.code === 'DUPLICATE_INVOICE');
}
