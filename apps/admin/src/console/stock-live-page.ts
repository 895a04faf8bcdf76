import type { StockRow } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError } from '../errors.js';
import type { LiveCompareView } from './render-stock-live.js';
import { compareLiveStock, MAX_LIVE_SKUS, parseLiveSkus, splitSkuList } from './stock-live.js';

/** The page's filter fields kept through a comparison (the cursor too, so the same page stays). */
const KEPT = ['run_id', 'sku', 'warehouse', 'pushed', 'confirmed', 'cursor', 'limit'] as const;

/**
 * The /stock page's comparison: nothing is read from DSCO until the form is submitted
 * (`live` present); the form is prefilled with the DSCO SKUs of the rows shown.
 * A refused list answers on the page (the rows still show), not as an error page.
 */
export async function liveCompareView(ctx: AdminContext, live: unknown, rows: readonly StockRow[], filters: Record<string, unknown>): Promise<LiveCompareView> {
  const hidden = KEPT.flatMap((k): [string, string][] => (typeof filters[k] === 'string' && filters[k] !== '' ? [[k, filters[k]]] : []));
  const pageSkus = [...new Set(rows.map((r) => r.partner_sku))].slice(0, MAX_LIVE_SKUS);
  if (!ctx.dsco) return { enabled: false, skus: [], hidden };
  if (live === undefined) return { enabled: true, skus: pageSkus, hidden };
  if (typeof live !== 'string' || live.length > 6000) return { enabled: true, skus: pageSkus, hidden, error: 'the SKU list must be given once, as text of at most 6000 characters' };
  const typed = splitSkuList(live);
  try {
    const skus = parseLiveSkus(typed.length > 0 ? typed : pageSkus, 'live');
    return { enabled: true, skus, hidden, result: await compareLiveStock(ctx, skus) };
  } catch (err) {
    if (err instanceof HttpError && err.statusCode !== 500) return { enabled: true, skus: typed, hidden, error: err.message };
    throw err;
  }
}
