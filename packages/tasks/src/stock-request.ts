import type { StockRequest, TaskContext } from '@dlsync/runner';
import type { NewWarehouseSyncRow } from '@dlsync/store';
import { planInventory, type InventoryPlan, type InventoryRow } from './rules/index.js';
import { makeStockBuffer } from './stock-buffer.js';
import { pushInventory, type StockChunkResult } from './stock-push.js';
import { reconcile } from './stock-reconcile.js';

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

function reportSend(ctx: Ctx, chunks: readonly StockChunkResult[]): void {
  const accepted = chunks.filter((c) => c.accepted);
  ctx.report.detail('chunks_sent', accepted.length);
  ctx.report.detail('chunks_failed', chunks.length - accepted.length);
  ctx.report.detail('request_ids', accepted.flatMap((c) => (c.accepted && c.requestId ? [c.requestId] : [])));
  for (const c of chunks) {
    if (c.accepted) ctx.report.add({ result: 'ok', chunk: c.chunk, items: c.skus.length, request_id: c.requestId });
    else ctx.report.add({ result: 'failed', chunk: c.chunk, items: c.skus.length, reason: c.error.inDoubt ? `${c.error.code} (in doubt)` : c.error.code });
  }
}

/** One dsco_warehouse_sync row per planned row; pushed only when its item's chunk was accepted. */
function rowsOf(ctx: Ctx, plan: InventoryPlan, chunks: readonly StockChunkResult[]): NewWarehouseSyncRow[] {
  const requestOf = new Map<string, string | null>();
  for (const c of chunks) if (c.accepted) for (const sku of c.skus) requestOf.set(sku, c.requestId);
  return plan.records.map((r) => {
    const pushed = r.warehouse_code !== null && requestOf.has(r.partner_sku);
    return {
      run_id: ctx.runId,
      warehouse_code: r.warehouse_code,
      wid: r.wid,
      sku: r.sku,
      partner_sku: r.partner_sku,
      quantity: r.quantity,
      pushed,
      dsco_request_id: pushed ? (requestOf.get(r.partner_sku) ?? null) : null,
    };
  });
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
  reportSend(ctx, chunks);
  const written = await ctx.store.warehouseSync.insertMany(rowsOf(ctx, plan, chunks));
  ctx.report.detail('rows_recorded', written);
  if (fatal !== undefined) throw fatal;
  ctx.progress(100);
}
