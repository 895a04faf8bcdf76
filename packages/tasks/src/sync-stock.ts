import { MappingConflictError } from '@dlsync/mapping';
import type { TaskContext } from '@dlsync/runner';
import type { NewWarehouseSyncRow } from '@dlsync/store';
import { planInventory, type InventoryPlan } from './rules/index.js';
import { pushInventory, type StockChunkResult, type StockPushResult } from './stock-push.js';
import { comparedKey, planStockSend, reportStockLine, type ComparedQuantities } from './stock-reconcile-step.js';

/**
 * SPEC §6 sync_stock: Lingxing available quantities of every mapped warehouse, one DSCO
 * ItemInventory per partnerSku, less the safety buffer; with `send: changed` (the default)
 * only the items whose quantity differs from what DSCO holds. Sent in chunks unless
 * `jobs.sync_stock.sync` is false (dry run), confirmed through DSCO's change log, and every
 * inventory row recorded in dsco_warehouse_sync with DSCO's quantity and the difference. Not
 * per order: `only_po_number` does not apply and is ignored.
 */
export async function syncStock(ctx: TaskContext<'sync_stock'>): Promise<void> {
  if (Object.keys(ctx.config.mapping.warehouse).length === 0) throw new Error('mapping.warehouse is empty');
  assertReverseMaps(ctx);
  if (ctx.onlyPoNumber !== undefined) ctx.report.detail('only_po_number', 'ignored: sync_stock is not per order');

  const dryRun = ctx.job.sync === false;
  ctx.report.detail('dry_run', dryRun);
  const rows = await ctx.lingxing.allInventory(ctx.mapping.wids(), { signal: ctx.signal });
  ctx.progress(20);
  const plan = planInventory(rows, ctx.mapping.warehouseCodeOf, ctx.mapping.dscoSkuOf);
  ctx.report.detail('inventory_rows', rows.length);
  ctx.report.detail('items', plan.items.length);
  reportUnmapped(ctx, plan);
  reportSkipped(ctx, plan);
  const step = await planStockSend(ctx, plan.items);
  ctx.report.detail('items_to_send', step.send.length);

  const { chunks, fresh, fatal }: StockPushResult = dryRun || step.send.length === 0 ? { chunks: [] } : await pushInventory(ctx, step.send);
  reportChunks(ctx, chunks);
  // Chunks DSCO accepted before a fatal error are still recorded; then the run fails.
  await recordRows(ctx, plan.records, chunks, fatal, step.compared);
  if (fatal !== undefined) throw fatal;
  reportStockLine(ctx, step, chunks, fresh);
  ctx.progress(100);
}

/** Refuses to run when wid → code or sku → partnerSku is ambiguous; the conflicting keys go into details. */
function assertReverseMaps(ctx: TaskContext<'sync_stock'>): void {
  try {
    ctx.mapping.assertReversible(['warehouse', 'sku']);
  } catch (err) {
    if (err instanceof MappingConflictError) ctx.report.detail('mapping_conflicts', { map: err.map, conflicts: err.conflicts });
    throw err;
  }
}

function reportUnmapped(ctx: TaskContext<'sync_stock'>, plan: InventoryPlan): void {
  ctx.report.detail('unmapped_rows', plan.unmapped.length);
  if (plan.unmapped.length === 0) return;
  const perWid = new Map<string, number>();
  for (const row of plan.unmapped) perWid.set(row.wid, (perWid.get(row.wid) ?? 0) + 1);
  for (const [wid, count] of perWid) {
    ctx.report.add({ result: 'skipped', reason: 'wid not in mapping.warehouse', wid, rows: count });
    ctx.logger.warn('inventory rows of an unmapped wid, not sent', { wid, rows: count });
  }
  ctx.report.detail('unmapped_wids', Object.fromEntries(perWid));
}

/** Rows without a usable quantity: one report line each (they are few) and a count. */
function reportSkipped(ctx: TaskContext<'sync_stock'>, plan: InventoryPlan): void {
  ctx.report.detail('skipped_rows', plan.skipped.length);
  for (const row of plan.skipped) {
    ctx.report.add({ result: 'skipped', reason: row.reason, wid: row.wid, sku: row.sku });
    ctx.logger.warn('inventory row skipped', { wid: row.wid, sku: row.sku, reason: row.reason });
  }
}

/** Chunk outcomes into the Report (details and one item per chunk) and the log. */
export function reportChunks(ctx: TaskContext<'sync_stock'>, chunks: readonly StockChunkResult[]): void {
  const accepted = chunks.filter((c) => c.accepted);
  ctx.report.detail('chunks_sent', accepted.length);
  ctx.report.detail('chunks_failed', chunks.length - accepted.length);
  ctx.report.detail('request_ids', accepted.flatMap((c) => (c.accepted && c.requestId ? [c.requestId] : [])));
  for (const c of chunks) {
    const fields = { chunk: c.chunk, items: c.skus.length, first_sku: c.skus[0], last_sku: c.skus[c.skus.length - 1] };
    if (c.accepted) {
      ctx.report.add({ result: 'ok', ...fields, request_id: c.requestId });
      ctx.logger.info('inventory chunk sent', { ...fields, request_id: c.requestId });
    } else {
      const reason = c.error.inDoubt ? `${c.error.code} (in doubt)` : c.error.code;
      ctx.report.add({ result: 'failed', reason, ...fields });
      ctx.logger.warn('inventory chunk failed', { ...fields, reason, error: c.error.message });
    }
  }
}

/**
 * One dsco_warehouse_sync row per inventory row: pushed only when its item's chunk was
 * accepted and the row's warehouse was part of that item (rows of unmapped wids never are),
 * with what DSCO held and the difference where the run compared.
 */
export async function recordRows(
  ctx: TaskContext<'sync_stock'>,
  records: InventoryPlan['records'],
  chunks: readonly StockChunkResult[],
  pushError: unknown,
  compared: ComparedQuantities = new Map(),
): Promise<void> {
  const requestOf = new Map<string, string | null>();
  for (const c of chunks) if (c.accepted) for (const sku of c.skus) requestOf.set(sku, c.requestId);
  const rows: NewWarehouseSyncRow[] = records.map((r) => {
    const pushed = r.warehouse_code !== null && requestOf.has(r.partner_sku);
    return {
      ...(r.warehouse_code === null ? {} : compared.get(comparedKey(r.partner_sku, r.warehouse_code))),
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
  try {
    const written = await ctx.store.warehouseSync.insertMany(rows);
    ctx.report.detail('rows_recorded', written);
    ctx.report.detail('rows_pushed', rows.filter((r) => r.pushed).length);
  } catch (err) {
    // The send failure is the one worth reporting; the recording failure is logged beside it.
    if (pushError === undefined) throw err;
    ctx.logger.error('recording inventory rows failed', { error: (err as Error).message });
  }
}
