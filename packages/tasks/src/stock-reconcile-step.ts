import type { TaskContext } from '@dlsync/runner';
import { readDscoStock } from './dsco-stock-read.js';
import type { ItemInventory } from './rules/index.js';
import { makeStockBuffer } from './stock-buffer.js';
import { reconcile, type Reconciliation } from './stock-reconcile.js';
import type { StockChunkResult } from './stock-push.js';
import type { SettleTally } from './verified-writes/index.js';

type Ctx = TaskContext<'sync_stock'>;

/** What DSCO held and the difference, per (partnerSku, DSCO warehouse code), for dsco_warehouse_sync. */
export type ComparedQuantities = ReadonlyMap<string, { dsco_quantity: number | null; diff: number | null }>;

export const comparedKey = (sku: string, warehouseCode: string): string => `${sku}\u0000${warehouseCode}`;

export interface StockPlanStep {
  /** The items to send, buffered. */
  send: ItemInventory[];
  compared: ComparedQuantities;
  /** Per-row outcome counts; undefined when nothing was compared. */
  counts?: Reconciliation['counts'];
}

/**
 * Between Lingxing's plan and the push: applies the safety buffer and, with `send: changed`,
 * reads what DSCO holds so only differing items go out. More items than `compare_max_items`
 * (or `send: all`) are sent without comparing, as before.
 */
export async function planStockSend(ctx: Ctx, items: readonly ItemInventory[]): Promise<StockPlanStep> {
  const { send, buffer, compare_max_items: maxCompared } = ctx.job;
  const buffered = makeStockBuffer(buffer);
  if (send === 'all' || items.length > maxCompared) {
    if (send === 'changed') ctx.report.detail('compare_skipped', `${items.length} items exceed jobs.sync_stock.compare_max_items (${maxCompared}); every item is sent`);
    return { send: reconcile(items, () => 'unreadable', buffered, 'all').send, compared: new Map() };
  }
  const read = await readDscoStock(ctx.dsco, items.map((i) => i.sku), ctx.signal);
  if (read.failed > 0) ctx.report.detail('dsco_reads_failed', read.failed);
  const result = reconcile(items, (sku) => read.held.get(sku), buffered, 'changed');
  const compared = new Map(result.rows.map((r) => [comparedKey(r.sku, r.warehouse), { dsco_quantity: r.dscoQuantity, diff: r.diff }]));
  return { send: result.send, compared, counts: result.counts };
}

/**
 * The Report's stock line: how many (sku, warehouse) quantities were unchanged, raised, lowered
 * or absent in DSCO, how many items were sent, and how many of them DSCO's inventory change log
 * confirms as applied (the verified-writes wait for this run's own writes).
 */
export function reportStockLine(ctx: Ctx, step: StockPlanStep, chunks: readonly StockChunkResult[], fresh: SettleTally | undefined): void {
  ctx.report.detail('stock', {
    compared: step.counts !== undefined,
    unchanged: step.counts?.unchanged ?? null,
    raised: step.counts?.raised ?? null,
    lowered: step.counts?.lowered ?? null,
    /** Quantities of items DSCO does not have (not sent: DSCO would skip them). */
    absent: step.counts?.absent ?? null,
    sent: chunks.filter((c) => c.accepted).reduce((n, c) => n + c.skus.length, 0),
    confirmed: fresh?.succeeded ?? 0,
  });
}
