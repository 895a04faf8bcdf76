import { DscoApiError } from '@dlsync/dsco';
import { LingxingError, mapConcurrent } from '@dlsync/lingxing';
import type { TaskContext } from '@dlsync/runner';
import type { OrderRow } from '@dlsync/store';

/** Invoice reads run this many at a time (the DSCO client's shared limiter still applies). */
const INVOICE_READ_CONCURRENCY = 4;

/** Why a PO could not be checked; it is reported with this result and reason, never compared. */
export interface Unchecked {
  result: 'failed' | 'skipped';
  reason: string;
}

/** What check_orders knows about one chunk of POs, besides the DSCO orders themselves. */
export interface ChunkFacts {
  rows: Map<string, OrderRow>;
  /** Status-2 POs Lingxing lists at least one order for. */
  inLingxing: Set<string>;
  /** Status-5 POs with a dsco_invoice_id → whether DSCO has an invoice for the PO. */
  hasInvoice: Map<string, boolean>;
  /** POs whose DSCO invoice differs from the retailer's cost → DSCO's reported difference. */
  expectedDifference: Map<string, number>;
  unchecked: Map<string, Unchecked>;
}

/** Per-PO invoice reads left for the run: there is no batch invoice read, so they are capped. */
export interface InvoiceBudget {
  remaining: number;
  reads: number;
  skipped: number;
}

/**
 * A read that failed for this batch only (throttling, 5xx, network trouble outliving the
 * client's retries); anything else (auth, bad request, abort) is the run's problem.
 */
function isTransientRead(err: unknown): err is DscoApiError | LingxingError {
  return (err instanceof DscoApiError || err instanceof LingxingError) && err.retryable;
}

/** Reads, never writes: local rows, Lingxing existence (batched) and DSCO invoices (per PO). */
export async function gatherFacts(ctx: TaskContext<'check_orders'>, pos: readonly string[], budget: InvoiceBudget): Promise<ChunkFacts> {
  const rows = new Map((await ctx.store.orders.getByPos(pos)).map((r) => [r.po_number, r]));
  const facts: ChunkFacts = { rows, inLingxing: new Set(), hasInvoice: new Map(), expectedDifference: new Map(), unchecked: new Map() };
  const atStatus = (status: number): OrderRow[] => [...rows.values()].filter((r) => r.status === status);
  await readLingxing(ctx, atStatus(2).map((r) => r.po_number), facts);
  await readInvoices(ctx, atStatus(5).filter((r) => r.dsco_invoice_id), facts, budget);
  return facts;
}

async function readLingxing(ctx: TaskContext<'check_orders'>, pos: string[], facts: ChunkFacts): Promise<void> {
  if (pos.length === 0) return;
  try {
    // listOrdersByPo sends at most 200 POs per call; a chunk is at most that big anyway.
    const orders = await ctx.lingxing.listOrdersByPo(pos, { store_id: ctx.mapping.storeIds(), signal: ctx.signal });
    const wanted = new Set(pos);
    for (const order of orders) {
      for (const info of order.platform_info) if (wanted.has(info.platform_order_no)) facts.inLingxing.add(info.platform_order_no);
    }
  } catch (err) {
    if (!isTransientRead(err)) throw err;
    for (const po of pos) facts.unchecked.set(po, { result: 'failed', reason: `check failed: lingxing ${err.code}` });
  }
}

/**
 * DSCO has no batch invoice read (`GET /invoice` takes one key/value), so this is one call per
 * PO; the run's budget (`jobs.check_orders.size`) bounds how many it makes.
 */
async function readInvoices(ctx: TaskContext<'check_orders'>, rows: OrderRow[], facts: ChunkFacts, budget: InvoiceBudget): Promise<void> {
  const allowed = rows.slice(0, Math.max(0, budget.remaining));
  for (const row of rows.slice(allowed.length)) {
    facts.unchecked.set(row.po_number, { result: 'skipped', reason: 'invoice read limit (size) reached' });
  }
  budget.remaining -= allowed.length;
  budget.reads += allowed.length;
  budget.skipped += rows.length - allowed.length;
  await mapConcurrent(allowed, INVOICE_READ_CONCURRENCY, async (row) => {
    try {
      const invoices = await ctx.dsco.getInvoicesByPo(row.po_number, { signal: ctx.signal });
      facts.hasInvoice.set(row.po_number, invoices.length > 0);
      const difference = invoices.reduce((sum, i) => sum + (i.dscoExpectedOrderTotalDifference ?? 0), 0);
      if (Math.abs(difference) >= 0.005) facts.expectedDifference.set(row.po_number, Math.round(difference * 100) / 100);
    } catch (err) {
      if (!isTransientRead(err)) throw err;
      facts.unchecked.set(row.po_number, { result: 'failed', reason: `check failed: dsco ${err.code}` });
    }
  });
}
