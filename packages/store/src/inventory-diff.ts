import type { Kysely } from 'kysely';
import type { Database, WarehouseSyncRow } from './database.js';

const DAY_MS = 86_400_000;

export interface InventoryDiffQuery {
  /** UTC day `YYYY-MM-DD` the rows were recorded on. */
  day: string;
  /** DSCO warehouse code. */
  warehouse?: string;
  /** DSCO partnerSku. */
  sku?: string;
  /** One run only. */
  runId?: string;
  /** Only rows whose quantity differs from DSCO's (diff known and not 0). */
  diffOnly: boolean;
  /** Keyset cursor: rows after this id. */
  afterId?: number;
  limit: number;
}

export interface InventoryDiffPage {
  rows: WarehouseSyncRow[];
  /** Pass as `afterId` for the next page; null on the last one. */
  nextAfterId: number | null;
}

/** Start and end (exclusive) of a UTC day; throws RangeError on anything but a real `YYYY-MM-DD`. */
export function utcDayRange(day: string): { start: Date; end: Date } {
  const start = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(start) || new Date(start).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`day must be a calendar date YYYY-MM-DD, got ${JSON.stringify(day)}`);
  }
  return { start: new Date(start), end: new Date(start + DAY_MS) };
}

/**
 * One page of recorded stock rows of a day in id order (keyset paging: stable while runs keep
 * adding rows, and no OFFSET scan). Reads one row more than `limit` to know whether a next page exists.
 */
export async function listInventoryDiff(db: Kysely<Database>, query: InventoryDiffQuery): Promise<InventoryDiffPage> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new RangeError(`limit must be a positive integer, got ${query.limit}`);
  const { start, end } = utcDayRange(query.day);
  let select = db
    .selectFrom('dsco_warehouse_sync')
    .selectAll()
    .where('synced_at', '>=', start)
    .where('synced_at', '<', end);
  if (query.warehouse !== undefined) select = select.where('warehouse_code', '=', query.warehouse);
  if (query.sku !== undefined) select = select.where('partner_sku', '=', query.sku);
  if (query.runId !== undefined) select = select.where('run_id', '=', query.runId);
  if (query.diffOnly) select = select.where('diff', 'is not', null).where('diff', '<>', 0);
  if (query.afterId !== undefined) select = select.where('id', '>', query.afterId);
  const rows = await select.orderBy('id').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return { rows: page, nextAfterId: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** The rows of the newest recorded run (by its latest synced_at), or undefined when none was recorded. */
export async function latestRunRows(db: Kysely<Database>): Promise<{ runId: string; rows: WarehouseSyncRow[] } | undefined> {
  const newest = await db.selectFrom('dsco_warehouse_sync').select('run_id').orderBy('synced_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!newest) return undefined;
  const rows = await db.selectFrom('dsco_warehouse_sync').selectAll().where('run_id', '=', newest.run_id).orderBy('id').execute();
  return { runId: newest.run_id, rows };
}
