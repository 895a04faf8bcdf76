import type { DscoClient } from '@dlsync/dsco';
import { sleep } from '@dlsync/remote';

export interface StockConfirmOptions {
  /** Between two reads of a change log that is still PROCESSING. (Default: 500) */
  pollMs?: number;
  /** Longest the run waits for DSCO to process its batches; later outcomes stay unconfirmed. (Default: 30000) */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /** Epoch ms. (Default: Date.now) */
  clock?: () => number;
}

export interface StockConfirmation {
  /** Items DSCO's change log reports as applied. */
  confirmed: number;
  /** partnerSkus DSCO reports as not applied. */
  rejected: string[];
  /** Request ids still PROCESSING when the wait ended. */
  pending: string[];
}

/** The key an inventory change-log entry names its item by. */
function skuOf(entry: Record<string, unknown>): string {
  // The reference's InventoryChangeLog carries the item as sent in `payload`.
  const payload = entry.payload as Record<string, unknown> | null | undefined;
  if (payload && typeof payload.sku === 'string') return payload.sku;
  return typeof entry.sku === 'string' ? entry.sku : '';
}

/**
 * Reads the inventory change log of each accepted batch until DSCO has processed it (status
 * COMPLETED), and counts the items it applied. Inventory writes are async: a 202 means
 * "received", only the change log says "done".
 */
export async function confirmStock(dsco: Pick<DscoClient, 'getChangeLog'>, requestIds: readonly string[], options: StockConfirmOptions = {}): Promise<StockConfirmation> {
  const clock = options.clock ?? Date.now;
  const deadline = clock() + (options.maxWaitMs ?? 30_000);
  const result: StockConfirmation = { confirmed: 0, rejected: [], pending: [] };
  for (const requestId of requestIds) {
    for (;;) {
      const log = await dsco.getChangeLog('inventory', requestId, options.signal ? { signal: options.signal } : {});
      if (log.status === 'COMPLETED') {
        for (const entry of log.logs) {
          if (entry.status === 'success') result.confirmed += 1;
          else result.rejected.push(skuOf(entry));
        }
        break;
      }
      if (clock() >= deadline) {
        result.pending.push(requestId);
        break;
      }
      await sleep(options.pollMs ?? 500, options.signal);
    }
  }
  return result;
}
