/** One `inventoryDetails` row, as far as the rules read it. */
export interface InventoryRow {
  wid: string | number;
  sku: string;
  /** Available quantity; null (or anything not numeric) when Lingxing did not send one. */
  product_valid_num: unknown;
}

/** Why an inventory row was left out of the push (the row is reported, never sent as 0). */
export const INVENTORY_SKIP_REASONS = {
  noQuantity: 'product_valid_num missing or not a number',
} as const;

export interface SkippedInventoryRow {
  wid: string;
  sku: string;
  reason: (typeof INVENTORY_SKIP_REASONS)[keyof typeof INVENTORY_SKIP_REASONS];
}

export interface ItemInventory {
  sku: string;
  warehouses: { code: string; quantity: number }[];
  quantityAvailable: number;
  /** DSCO requires a status on every inventory item: in stock when any quantity is available. */
  status: 'in-stock' | 'out-of-stock';
}

export interface InventoryRecord {
  wid: string;
  warehouse_code: string | null;
  sku: string;
  partner_sku: string;
  quantity: number;
}

export interface InventoryPlan {
  items: ItemInventory[];
  /** Every row, mapped where possible, for dsco_warehouse_sync. */
  records: InventoryRecord[];
  /** Rows whose wid maps to no DSCO warehouse: recorded, reported, never sent. */
  unmapped: InventoryRecord[];
  /**
   * Rows without a usable quantity: reported with the reason and neither sent nor recorded,
   * because a guessed 0 would tell DSCO the item is out of stock.
   */
  skipped: SkippedInventoryRow[];
}

/** A whole non-negative quantity, or undefined when the value is not a number at all. */
function quantityOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return undefined;
  // A negative available count (oversold) is nothing available, which DSCO should hear.
  return Math.max(0, Math.floor(n));
}

/**
 * One ItemInventory per DSCO sku with per-warehouse quantities and their sum. A negative
 * quantity counts as 0; a missing or non-numeric one skips its row with a reason.
 */
export function planInventory(
  rows: InventoryRow[],
  warehouseCodeOf: (wid: string) => string | undefined,
  toDscoSku: (sku: string) => string,
): InventoryPlan {
  const perSku = new Map<string, Map<string, number>>();
  const records: InventoryRecord[] = [];
  const unmapped: InventoryRecord[] = [];
  const skipped: SkippedInventoryRow[] = [];
  for (const row of rows) {
    const wid = String(row.wid);
    const quantity = quantityOf(row.product_valid_num);
    if (quantity === undefined) {
      skipped.push({ wid, sku: row.sku, reason: INVENTORY_SKIP_REASONS.noQuantity });
      continue;
    }
    const code = warehouseCodeOf(wid);
    const record = { wid, warehouse_code: code ?? null, sku: row.sku, partner_sku: toDscoSku(row.sku), quantity };
    records.push(record);
    if (!code) {
      unmapped.push(record);
      continue;
    }
    const warehouses = perSku.get(record.partner_sku) ?? new Map<string, number>();
    warehouses.set(code, (warehouses.get(code) ?? 0) + quantity);
    perSku.set(record.partner_sku, warehouses);
  }
  const items = [...perSku].map(([sku, warehouses]) => {
    const list = [...warehouses].map(([code, quantity]) => ({ code, quantity }));
    const quantityAvailable = list.reduce((s, w) => s + w.quantity, 0);
    return { sku, warehouses: list, quantityAvailable, status: quantityAvailable > 0 ? ('in-stock' as const) : ('out-of-stock' as const) };
  });
  return { items, records, unmapped, skipped };
}
