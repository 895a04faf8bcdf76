import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, WarehouseSyncRow } from './database.js';
import { readConsoleSchema, type ConsoleSchema } from './console-schema.js';

/** The console's filter over sync_stock's recorded rows (AND of the given fields). */
export interface StockFilter {
  runId?: string;
  /** sku (Lingxing) or partner_sku (DSCO) contains this. */
  sku?: string;
  /** wid or warehouse_code equals this. */
  warehouse?: string;
  pushed?: boolean;
  /**
   * true: DSCO confirmed the row's request (a successful write record with its request id);
   * false: it did not (yet). On a database without write records nothing is confirmed.
   */
  confirmed?: boolean;
}

export type StockRow = WarehouseSyncRow & { confirmed: boolean };

export interface StockPage {
  items: StockRow[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

function confirmedSql(schema: ConsoleSchema): RawBuilder<boolean> {
  return schema.writes
    ? sql<boolean>`EXISTS (SELECT 1 FROM dsco_write w WHERE w.request_id = s.dsco_request_id AND w.state = 'success')`
    : sql<boolean>`false`;
}

function whereSql(filter: StockFilter, schema: ConsoleSchema): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (filter.runId) parts.push(sql<boolean>`s.run_id = ${filter.runId}`);
  if (filter.sku) {
    const like = `%${escapeLike(filter.sku)}%`;
    parts.push(sql<boolean>`(s.sku LIKE ${like} OR s.partner_sku LIKE ${like})`);
  }
  if (filter.warehouse) parts.push(sql<boolean>`(s.wid = ${filter.warehouse} OR s.warehouse_code = ${filter.warehouse})`);
  if (filter.pushed !== undefined) parts.push(sql<boolean>`s.pushed = ${filter.pushed}`);
  if (filter.confirmed !== undefined) parts.push(filter.confirmed ? confirmedSql(schema) : sql<boolean>`NOT ${confirmedSql(schema)}`);
  return sql<boolean>`${sql.join(parts, sql` AND `)}`;
}

/** A page of sync_stock rows, newest first, keyset-paged by id. */
export async function queryStock(
  db: Kysely<Database>,
  filter: StockFilter,
  options: { limit: number; after?: number; schema?: ConsoleSchema },
): Promise<StockPage> {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
  const schema = options.schema ?? (await readConsoleSchema(db));
  const keyset = options.after !== undefined ? sql<boolean>`s.id < ${options.after}` : sql<boolean>`true`;
  const { rows } = await sql<StockRow>`
    SELECT s.*, ${confirmedSql(schema)} AS confirmed FROM dsco_warehouse_sync s
    WHERE ${whereSql(filter, schema)} AND ${keyset}
    ORDER BY s.id DESC LIMIT ${options.limit + 1}`.execute(db);
  const items = rows.slice(0, options.limit);
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Every matching row, newest first, in batches (for CSV export). */
export async function* streamStock(db: Kysely<Database>, filter: StockFilter, options: { batchSize?: number } = {}): AsyncGenerator<StockRow[]> {
  const schema = await readConsoleSchema(db);
  let after: number | undefined;
  do {
    const page = await queryStock(db, filter, { limit: options.batchSize ?? 1000, schema, ...(after !== undefined ? { after } : {}) });
    if (page.items.length > 0) yield page.items;
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
}
