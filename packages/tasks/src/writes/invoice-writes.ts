import type { DscoInvoice } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { ORDER_STATUS } from '@dlsync/store';
import { findInvoice } from '../invoice-confirm.js';
import { INVOICE_KIND, makeVerifiedWrites, type VerifiedWriteDeps, type VerifiedWriteOptions, type VerifiedWrites } from '../verified-writes/index.js';

/**
 * invoice_to_dsco's writes: `POST /invoice/batch/small` items. DSCO's success moves the row
 * 4 → 5 with dsco_invoice_id. A refusal is checked with `GET /invoice` first: DSCO refuses a
 * second invoice with the same invoiceId, so a refused invoice DSCO lists is the one we sent
 * earlier (a lost answer, a crash) and the order advances. The API reference names no code for
 * the duplicate refusal, so every refusal is checked (refusals are rare; the read is cheap).
 */
export function makeInvoiceWrites(
  ctx: TaskContext,
  deps: VerifiedWriteDeps,
  counts: { advanced: number } = { advanced: 0 },
  /** What to log with the order once its invoice is confirmed (e.g. its tracking numbers), kept beside the item. */
  snapshotOf: (po: string) => Record<string, unknown> | undefined = () => undefined,
  options?: VerifiedWriteOptions,
): VerifiedWrites<DscoInvoice> {
  return makeVerifiedWrites(
    deps,
    {
      ...INVOICE_KIND,
      send: (items, signal) => ctx.dsco.createInvoices(items, { signal }),
      metaOf: (invoice) => {
        const snapshot = snapshotOf(invoice.poNumber);
        return snapshot && { snapshot };
      },
    },
    {
      async succeeded(items) {
        const moved = new Set(
          await ctx.store.orders.transitionEach(
            items.map((s) => ({ po: s.key, patch: { dsco_invoice_id: s.item.invoiceId } })),
            ORDER_STATUS.shipped,
            ORDER_STATUS.done,
          ),
        );
        for (const s of items) {
          const snapshot = { invoice_id: s.item.invoiceId, total: s.item.totalAmount, requestId: s.requestId, ...(s.meta?.snapshot as Record<string, unknown> | undefined) };
          if (moved.has(s.key)) {
            counts.advanced++;
            ctx.orderDone(s.key, 'ok', 'invoiced (DSCO confirmed)', snapshot);
          } else ctx.orderDone(s.key, 'skipped', 'invoiced in DSCO; the row moved meanwhile');
        }
      },
      async holdsDespiteFailure(s) {
        const found = await findInvoice(ctx.dsco, s.item.poNumber, ctx.signal);
        return found !== undefined && (found.invoiceId === undefined || found.invoiceId === s.item.invoiceId);
      },
    },
    options,
  );
}
