/** One `inventoryDetails` row, as far as the rules read it. */
export interface InventoryRow {
  wid: string | number;
  sku: string;
  product_valid_num: number | string;
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
}

/**
 * One ItemInventory per partnerSku with per-warehouse quantities and their sum
 * (SPEC §6 sync_stock). Negative or non-numeric quantities count as 0.
 */
export function planInventory(
  rows: InventoryRow[],
  warehouseCodeOf: (wid: string) => string | undefined,
  toDscoSku: (sku: string) => string,
): InventoryPlan {
  const perSku = new Map<string, Map<string, number>>();
  const records: InventoryRecord[] = [];
  const unmapped: InventoryRecord[] = [];
  for (const row of rows) {
    const wid = String(row.wid);
    const quantity = Math.max(0, Math.floor(Number(row.product_valid_num)) || 0);
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
  return { items, records, unmapped };
}
