import type { StockSendMode } from '@dlsync/config';
import type { ItemInventory } from './rules/index.js';
import type { StockBuffer } from './stock-buffer.js';

/** How one (sku, warehouse) quantity compares with what DSCO holds; `absent`: DSCO has no such item. */
export type StockChange = 'unchanged' | 'raised' | 'lowered' | 'absent';

/**
 * DSCO's quantity per warehouse code of one item; undefined: DSCO has no such item;
 * `unreadable`: the read failed, so the item is sent (a quantity is absolute: sending is safe).
 */
export type DscoHeld = ReadonlyMap<string, number | null> | undefined | 'unreadable';

export interface ReconciledRow {
  /** partnerSku. */
  sku: string;
  /** DSCO warehouse code. */
  warehouse: string;
  /** Lingxing's available quantity. */
  quantity: number;
  /** What dlsync sends: the quantity less the buffer. */
  target: number;
  /** What DSCO holds; null when DSCO has no quantity for it. */
  dscoQuantity: number | null;
  /** quantity − dscoQuantity; null when dscoQuantity is. */
  diff: number | null;
  change: StockChange;
}

export interface Reconciliation {
  /**
   * Items to send, with buffered quantities: the changed ones (send: changed) or all (send: all).
   * With `changed`, an item DSCO does not have is not sent: the batch skips such items anyway.
   */
  send: ItemInventory[];
  rows: ReconciledRow[];
  counts: Record<StockChange, number>;
}

function changeOf(target: number, held: number | undefined): StockChange {
  if (held === undefined) return 'absent';
  return target === held ? 'unchanged' : target > held ? 'raised' : 'lowered';
}

function itemOf(sku: string, warehouses: { code: string; quantity: number }[]): ItemInventory {
  const quantityAvailable = warehouses.reduce((sum, w) => sum + w.quantity, 0);
  return { sku, warehouses, quantityAvailable, status: quantityAvailable > 0 ? 'in-stock' : 'out-of-stock' };
}

/**
 * Compares each planned item with DSCO's quantities after the buffer. A warehouse quantity
 * DSCO does not hold counts as 0 (nothing is on offer there), so sending 0 to it is no change.
 * An item is sent whole (DSCO wants quantityAvailable to be the sum of its warehouses) when any
 * of its warehouses changed, or always with `send: all`.
 */
export function reconcile(planned: readonly ItemInventory[], dscoOf: (sku: string) => DscoHeld, buffer: StockBuffer, send: StockSendMode): Reconciliation {
  const counts: Record<StockChange, number> = { unchanged: 0, raised: 0, lowered: 0, absent: 0 };
  const rows: ReconciledRow[] = [];
  const toSend: ItemInventory[] = [];
  for (const item of planned) {
    const read = dscoOf(item.sku);
    const held = read === 'unreadable' ? undefined : read;
    let changed = read === 'unreadable';
    const warehouses = item.warehouses.map((w) => {
      const target = buffer(w.code, item.sku, w.quantity);
      const dscoQuantity = held?.get(w.code) ?? null;
      // An unreadable item is compared with nothing (and sent anyway); a missing one is absent.
      const change = changeOf(target, read === undefined ? undefined : (dscoQuantity ?? 0));
      counts[change] += 1;
      changed ||= change === 'raised' || change === 'lowered';
      rows.push({ sku: item.sku, warehouse: w.code, quantity: w.quantity, target, dscoQuantity, diff: dscoQuantity === null ? null : w.quantity - dscoQuantity, change });
      return { code: w.code, quantity: target };
    });
    if (changed || send === 'all') toSend.push(itemOf(item.sku, warehouses));
  }
  return { send: toSend, rows, counts };
}
