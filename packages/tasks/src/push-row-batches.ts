import type { OrderRow, OrderStatus, OrdersRepository } from '@dlsync/store';
import { parseDscoOrder, type DscoOrder } from './rules/dsco-order.js';

export interface RowBatchesOptions {
  /** Most rows in all (the task's `size`). */
  size: number;
  /** Rows per batch; also the most POs one Lingxing list call takes. (Default: 200) */
  batchSize?: number;
  /** Only this PO (a run's only_po_number). */
  onlyPoNumber?: string;
}

/** Rows per batch: the Lingxing list maximum, so one batch is one pre-check call. */
export const ROW_BATCH_SIZE = 200;

/**
 * Rows at `status`, oldest dsco_create_time first, in batches, at most `size` in all. Keyset
 * paging (not "the first N at status" again) so a row skipped in this run, still at `status`,
 * is not read twice, and only one batch of payloads is in memory at a time.
 */
export async function* rowBatches(orders: OrdersRepository, status: OrderStatus, options: RowBatchesOptions): AsyncGenerator<OrderRow[], void, undefined> {
  const { size, batchSize = ROW_BATCH_SIZE, onlyPoNumber } = options;
  if (onlyPoNumber !== undefined) {
    const rows = await orders.listByStatus(status, { limit: 1, poNumber: onlyPoNumber });
    if (rows.length > 0) yield rows;
    return;
  }
  let left = size;
  let after: string | undefined;
  while (left > 0) {
    const page = await orders.search({ status, order: 'asc', limit: Math.min(batchSize, left), ...(after === undefined ? {} : { after }) });
    if (page.items.length === 0) return;
    left -= page.items.length;
    yield page.items;
    if (page.nextCursor === null) return;
    after = page.nextCursor;
  }
}

/**
 * The DSCO order behind each row, by PO. A payload that no longer parses is skipped with the
 * parser's reason (pull stored it raw; a later rule change may refuse it).
 */
export function parseRowPayloads(rows: readonly OrderRow[], skip: (po: string, reason: string) => void): Map<string, DscoOrder> {
  const orders = new Map<string, DscoOrder>();
  for (const row of rows) {
    const parsed = parseDscoOrder(row.payload);
    if (parsed.ok) orders.set(row.po_number, parsed.order);
    else skip(row.po_number, parsed.reason);
  }
  return orders;
}
