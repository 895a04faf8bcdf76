import type { StockRequest, TaskContext } from '@dlsync/runner';
import { planInventory, type InventoryRow } from './rules/index.js';
import { makeStockBuffer } from './stock-buffer.js';
import { pushInventory, type StockChunkResult } from './stock-push.js';
import { reconcile } from './stock-reconcile.js';
import { recordRows, reportChunks } from './sync-stock.js';

type Ctx = TaskContext<'sync_stock'>;

/** Why a requested item is not sent; one wording for the Report and the inventory API. */
export const STOCK_REQUEST_SKIPS = {
  unmappedWarehouse: 'warehouse not in mapping.warehouse',
} as const;

/**
 * The rows a stock request sends, in Lingxing's terms (wid, local sku) so they go through the
 * same plan as a regular run: the newest recorded run's rows, or the caller's items with their
 * DSCO warehouse code mapped to a wid and their partnerSku to the local sku.
 */
async function requestedRows(ctx: Ctx, request: StockRequest): Promise<InventoryRow[]> {
  if (request.source === 'latest_run') {
    const latest = await ctx.store.warehouseSync.latestRun();
    if (!latest) throw new Error('no sync_stock run recorded yet: nothing to resend');
    ctx.report.detail('source_run_id', latest.runId);
    return latest.rows.map((r) => ({ wid: r.wid, sku: r.sku, product_valid_num: r.quantity }));
  }
  const rows: InventoryRow[] = [];
  for (const item of request.items ?? []) {
    const wid = ctx.mapping.wid(item.warehouse);
    if (wid === undefined) {
      ctx.report.add({ result: 'skipped', reason: STOCK_REQUEST_SKIPS.unmappedWarehouse, sku: item.sku, warehouse: item.warehouse });
      continue;
    }
    rows.push({ wid, sku: ctx.mapping.mappedSku(item.sku) ?? item.sku, product_valid_num: item.quantity });
  }
  return rows;
}

/**
 * sync_stock as the inventory API asks for it: the requested quantities instead of Lingxing's,
 * sent in the same byte-budgeted chunks (or only recorded when `dryRun`), every row recorded
 * under this run's id (with the quantity asked for, before any buffer). Quantities are
 * absolute, so a repeated request sets the same stock.
 */
export async function syncStockRequest(ctx: Ctx, request: StockRequest): Promise<void> {
  ctx.mapping.assertReversible(['warehouse', 'sku']);
  ctx.report.detail('source', request.source);
  ctx.report.detail('dry_run', request.dryRun);
  const plan = planInventory(await requestedRows(ctx, request), ctx.mapping.warehouseCodeOf, ctx.mapping.dscoSkuOf);
  // Resending a run sends what that run would send today, safety buffer included; a caller's
  // own quantities are sent as given.
  const items = request.source === 'latest_run' ? reconcile(plan.items, () => 'unreadable', makeStockBuffer(ctx.job.buffer), 'all').send : plan.items;
  ctx.report.detail('items', items.length);
  ctx.report.detail('unmapped_rows', plan.unmapped.length);
  ctx.progress(20);
  const { chunks, fatal } = request.dryRun || items.length === 0 ? { chunks: [] as StockChunkResult[], fatal: undefined } : await pushInventory(ctx, items);
  reportChunks(ctx, chunks);
  await recordRows(ctx, plan.records, chunks, fatal);
  if (fatal !== undefined) throw fatal;
  ctx.progress(100);
}
