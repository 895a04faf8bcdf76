import { z } from 'zod';
import { latestStockBySku, type LatestStock } from '@dlsync/store';
import type { DscoItemInventoryRead } from '@dlsync/dsco';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';

/**
 * Most SKUs one comparison reads from DSCO: each is one `GET /inventory` call, and DSCO allows
 * 15 a second (shared with the workers), so a request stays within about two seconds.
 */
export const MAX_LIVE_SKUS = 25;
const MAX_SKU_LENGTH = 200;
export const LIVE_OFF_REASON = 'live DSCO read off: set auth.dsco.* for the admin';

// NUL cannot go to Postgres or into a URL DSCO would accept; control characters are never in a sku.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]|\p{Cs}/u;

const skuSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_SKU_LENGTH, { error: `must be at most ${MAX_SKU_LENGTH} characters`, abort: true })
  .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/** `?sku=A&sku=B` (a repeated key arrives as an array); duplicates count once. */
export const liveSkusSchema = z
  .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(skuSchema, { error: 'must be one or more SKUs' }))
  .transform((skus) => [...new Set(skus)])
  .refine((skus) => skus.length >= 1, 'give at least one SKU')
  .refine((skus) => skus.length <= MAX_LIVE_SKUS, `at most ${MAX_LIVE_SKUS} SKUs per request`);

/** A typed list on the page: SKUs separated by commas, spaces or line breaks. */
export const splitSkuList = (text: string): string[] => text.split(/[\s,]+/).filter((s) => s !== '');

export interface LiveStockItem {
  sku: string;
  /** What DSCO holds now; null when DSCO does not know the sku (404). */
  dsco: { quantity: number | null; warehouses: { code: string; quantity: number | null }[] } | null;
  /** What the newest sync_stock run recorded from Lingxing; null when no run recorded the sku. */
  lingxing: { quantity: number; warehouses: { code: string; wid: string; quantity: number }[]; synced_at: string; run_id: string } | null;
  /** Lingxing − DSCO (null unless both sides have a quantity). */
  diff: number | null;
}

function dscoSide(item: DscoItemInventoryRead | undefined): LiveStockItem['dsco'] {
  if (!item) return null;
  return { quantity: item.quantityAvailable ?? null, warehouses: item.warehouses.map((w) => ({ code: w.code, quantity: w.quantity ?? null })) };
}

function lingxingSide(latest: LatestStock | undefined): LiveStockItem['lingxing'] {
  if (!latest) return null;
  return {
    quantity: latest.rows.reduce((sum, r) => sum + r.quantity, 0),
    warehouses: latest.rows.map((r) => ({ code: r.warehouse_code ?? r.wid, wid: r.wid, quantity: r.quantity })),
    synced_at: latest.syncedAt.toISOString(),
    run_id: latest.runId,
  };
}

/** Parses the query's `sku` values, or a 400 with the reason. */
export const parseLiveSkus = (value: unknown, where = 'query.sku'): string[] => parseInput(liveSkusSchema, value, where);

/**
 * Reads each SKU from DSCO now (through the client's Redis limiter, so the workers' calls and
 * these share DSCO's per-endpoint limit) next to Lingxing's side as sync_stock last recorded it.
 * Read-only: nothing is written to DSCO or the database.
 */
export async function compareLiveStock(ctx: AdminContext, skus: readonly string[]): Promise<{ items: LiveStockItem[] }> {
  const dsco = ctx.dsco;
  if (!dsco) throw new HttpError(503, LIVE_OFF_REASON, [], { feature: 'stock_live', enabled: false });
  const [latest, held] = await Promise.all([
    latestStockBySku(ctx.store.db, skus),
    Promise.all(
      skus.map(async (sku) => {
        try {
          return await dsco.getInventory(sku);
        } catch (err) {
          ctx.logger.warn('live DSCO inventory read failed', { sku, error: (err as Error).message });
          // The reason may name hosts; it goes to the log, the caller gets which sku failed.
          throw new HttpError(502, `DSCO inventory read for ${sku} failed (the admin log has the reason)`);
        }
      }),
    ),
  ]);
  const items = skus.map((sku, i): LiveStockItem => {
    const d = dscoSide(held[i]);
    const l = lingxingSide(latest.get(sku));
    const diff = d?.quantity !== null && d?.quantity !== undefined && l ? l.quantity - d.quantity : null;
    return { sku, dsco: d, lingxing: l, diff };
  });
  return { items };
}
