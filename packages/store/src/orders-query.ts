import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ORDER_STATUSES, type Database, type OrderStatus } from './database.js';
import { readConsoleSchema, type ConsoleSchema } from './console-schema.js';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor.js';

/**
 * The operations console's order filter. Every field narrows the result (AND); text fields
 * named "contains" match a literal substring (`%` and `_` match themselves), the others match
 * exactly.
 */
export interface OrderFilter {
  /** po_number contains this. */
  poContains?: string;
  /** dsco_retailer_id equals this. */
  retailer?: string;
  /** A line SKU: mskus (`SKU(QTY),…`) contains this. */
  sku?: string;
  /** warehouse_id (shipWarehouseCode) equals this. */
  warehouse?: string;
  /** shipment (shippingServiceLevelCode) equals this. */
  shipment?: string;
  /** shipped_tracking_no contains this. */
  tracking?: string;
  /** dsco_invoice_id equals this. */
  invoiceId?: string;
  /** dsco_status equals this. */
  dscoStatus?: string;
  /** status is one of these (empty or absent: any). */
  statuses?: readonly OrderStatus[];
  /** dsco_create_time >= this (UTC epoch seconds). */
  createdFrom?: number;
  /** dsco_create_time < this (UTC epoch seconds). */
  createdTo?: number;
  /**
   * true: orders with a recorded last_error; false: orders without. On a database without the
   * last_error column no order has an error.
   */
  hasError?: boolean;
}

/** A dsco_order_sync row without its payload, plus whatever columns later migrations added. */
export type OrderListRow = Record<string, unknown> & {
  po_number: string;
  status: OrderStatus;
  dsco_create_time: number;
};

export interface OrderQueryPage {
  items: OrderListRow[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface OrderQueryOptions {
  /** `nextCursor` of the previous page. */
  after?: string;
  limit: number;
  /** Read once by the caller to save a catalog query per call. (Default: read now) */
  schema?: ConsoleSchema;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const contains = (column: string, value: string) => sql<boolean>`${sql.ref(column)} LIKE ${`%${escapeLike(value)}%`}`;
const equals = (column: string, value: string | number) => sql<boolean>`${sql.ref(column)} = ${value}`;

/** The WHERE clause of `filter` (`true` when it has no condition). */
export function orderFilterSql(filter: OrderFilter, schema: ConsoleSchema): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (filter.poContains) parts.push(contains('po_number', filter.poContains));
  if (filter.retailer) parts.push(equals('dsco_retailer_id', filter.retailer));
  if (filter.sku) parts.push(contains('mskus', filter.sku));
  if (filter.warehouse) parts.push(equals('warehouse_id', filter.warehouse));
  if (filter.shipment) parts.push(equals('shipment', filter.shipment));
  if (filter.tracking) parts.push(contains('shipped_tracking_no', filter.tracking));
  if (filter.invoiceId) parts.push(equals('dsco_invoice_id', filter.invoiceId));
  if (filter.dscoStatus) parts.push(equals('dsco_status', filter.dscoStatus));
  if (filter.statuses && filter.statuses.length > 0) parts.push(sql<boolean>`status = ANY(${[...filter.statuses]}::smallint[])`);
  if (filter.createdFrom !== undefined) parts.push(sql<boolean>`dsco_create_time >= ${filter.createdFrom}`);
  if (filter.createdTo !== undefined) parts.push(sql<boolean>`dsco_create_time < ${filter.createdTo}`);
  if (filter.hasError !== undefined) {
    if (schema.hasOrderColumn('last_error')) {
      parts.push(filter.hasError ? sql<boolean>`last_error IS NOT NULL` : sql<boolean>`last_error IS NULL`);
    } else if (filter.hasError) {
      parts.push(sql<boolean>`false`);
    }
  }
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}

/** Every column but the (large) raw payload. */
function listColumns(schema: ConsoleSchema): RawBuilder<unknown> {
  return sql.join(schema.orderColumns.filter((c) => c !== 'payload').map((c) => sql.ref(c)));
}

function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

/**
 * One page of orders matching `filter`, newest dsco_create_time first (ties by po_number),
 * keyset-paged so a page costs the same however deep it is.
 * @throws InvalidCursorError for an `after` this package did not make.
 */
export async function queryOrders(db: Kysely<Database>, filter: OrderFilter, options: OrderQueryOptions): Promise<OrderQueryPage> {
  assertLimit(options.limit);
  const schema = options.schema ?? (await readConsoleSchema(db));
  const cursor = options.after !== undefined ? decodeOrderCursor(options.after) : undefined;
  const keyset = cursor
    ? sql<boolean>`(dsco_create_time, po_number) < (${cursor.dsco_create_time}, ${cursor.po_number})`
    : sql<boolean>`true`;
  const { rows } = await sql<OrderListRow>`
    SELECT ${listColumns(schema)} FROM dsco_order_sync
    WHERE ${orderFilterSql(filter, schema)} AND ${keyset}
    ORDER BY dsco_create_time DESC, po_number DESC
    LIMIT ${options.limit + 1}`.execute(db);
  const items = rows.slice(0, options.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? encodeOrderCursor(last) : null };
}

/** How many orders match `filter`, per status (every status present, 0 when none). */
export async function countOrdersByStatus(
  db: Kysely<Database>,
  filter: OrderFilter,
  schema?: ConsoleSchema,
): Promise<Record<OrderStatus, number>> {
  const s = schema ?? (await readConsoleSchema(db));
  const { rows } = await sql<{ status: OrderStatus; n: number }>`
    SELECT status, count(*)::int AS n FROM dsco_order_sync WHERE ${orderFilterSql(filter, s)} GROUP BY status`.execute(db);
  const counts = Object.fromEntries(ORDER_STATUSES.map((st) => [st, 0])) as Record<OrderStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export interface StreamOrdersOptions {
  /** Rows read per query. (Default: 1000) */
  batchSize?: number;
  schema?: ConsoleSchema;
}

/**
 * Every order matching `filter`, newest first, read in keyset batches: memory holds one batch
 * however many rows match, and no connection stays checked out between batches, so a slow
 * consumer (a CSV download) never pins the pool.
 */
export async function* streamOrders(
  db: Kysely<Database>,
  filter: OrderFilter,
  options: StreamOrdersOptions = {},
): AsyncGenerator<OrderListRow[]> {
  const schema = options.schema ?? (await readConsoleSchema(db));
  const limit = options.batchSize ?? 1000;
  let after: string | undefined;
  do {
    const page = await queryOrders(db, filter, { limit, schema, ...(after ? { after } : {}) });
    if (page.items.length > 0) yield page.items;
    after = page.nextCursor ?? undefined;
  } while (after);
}
