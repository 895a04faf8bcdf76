import { sql, type Kysely } from 'kysely';
import type { Database, WarehouseSyncRow } from './database.js';

/** What Lingxing had for one DSCO sku, as the newest sync_stock run that covered it recorded. */
export interface LatestStock {
  partnerSku: string;
  runId: string;
  /** The newest of the run's rows for this sku. */
  syncedAt: Date;
  /** One per warehouse the run recorded for this sku. */
  rows: WarehouseSyncRow[];
}

/**
 * For each DSCO sku (`partner_sku`) asked, the rows of the newest run that recorded it (a run
 * writes one row per warehouse, so "newest" is per run, not per row). Skus no run recorded are
 * absent from the answer.
 */
export async function latestStockBySku(db: Kysely<Database>, partnerSkus: readonly string[]): Promise<Map<string, LatestStock>> {
  const out = new Map<string, LatestStock>();
  if (partnerSkus.length === 0) return out;
  const { rows } = await sql<WarehouseSyncRow>`
    SELECT s.* FROM dsco_warehouse_sync s
    JOIN (
      SELECT DISTINCT ON (partner_sku) partner_sku, run_id FROM dsco_warehouse_sync
      WHERE partner_sku = ANY(${[...partnerSkus]}::text[])
      ORDER BY partner_sku, id DESC
    ) newest ON newest.partner_sku = s.partner_sku AND newest.run_id = s.run_id
    ORDER BY s.partner_sku, s.id`.execute(db);
  for (const row of rows) {
    const entry = out.get(row.partner_sku);
    if (!entry) out.set(row.partner_sku, { partnerSku: row.partner_sku, runId: row.run_id, syncedAt: row.synced_at, rows: [row] });
    else {
      entry.rows.push(row);
      if (row.synced_at > entry.syncedAt) entry.syncedAt = row.synced_at;
    }
  }
  return out;
}
