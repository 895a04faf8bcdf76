import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  countAttention,
  countOrdersByStatus,
  InvalidCursorError,
  listAttention,
  queryOrders,
  queryStock,
  readConsoleSchema,
  streamOrders,
  streamStock,
  type OrderListRow,
  type StockRow,
} from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { poNumberSchema } from '../routes/inputs.js';
import { actorOf, changeOrderStatus, checkOrder, requestRun, retryNow, runNextTask } from './console-actions.js';
import {
  makeCheckRangeSchema,
  makeOrdersQuerySchema,
  retrySchema,
  runActionSchema,
  statusChangeSchema,
  stockQuerySchema,
  toOrderFilter,
  toStockFilter,
  type OrdersQuery,
} from './console-inputs.js';
import { readConsoleSettings } from './console-time.js';
import { describeCheckRange } from './check-range-data.js';
import { csvStream, orderCsvColumns, orderCsvValues } from './csv.js';
import { loadOrderDetail } from './order-detail-data.js';
import { compareLiveStock, parseLiveSkus } from './stock-live.js';

const poParam = (request: FastifyRequest) => parseInput(poNumberSchema, (request.params as { po: string }).po, 'params.po');

/** A cursor this API did not make is the caller's mistake (400), not ours. */
async function withCursorCheck<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new HttpError(400, 'invalid query: query.cursor: not a cursor from this API', [{ path: 'query.cursor', message: 'not a cursor from this API' }]);
    }
    throw err;
  }
}

export function parseOrdersQuery(ctx: AdminContext, query: unknown): OrdersQuery {
  return parseInput(makeOrdersQuerySchema(readConsoleSettings(ctx.env).timeZone), query, 'query');
}

/** A page of orders for the filter, with counts per status for the same filter. */
export async function loadOrdersPage(ctx: AdminContext, q: OrdersQuery) {
  const schema = await readConsoleSchema(ctx.store.db);
  const filter = toOrderFilter(q);
  return withCursorCheck(async () => {
    const [page, counts] = await Promise.all([
      queryOrders(ctx.store.db, filter, { limit: q.limit, schema, ...(q.cursor ? { after: q.cursor } : {}) }),
      countOrdersByStatus(ctx.store.db, filter, schema),
    ]);
    return { ...page, counts };
  });
}

/** Streams every order of the filter as CSV (every column but the raw payload). */
export async function sendOrdersCsv(ctx: AdminContext, q: OrdersQuery, reply: FastifyReply): Promise<FastifyReply> {
  const schema = await readConsoleSchema(ctx.store.db);
  const columns = orderCsvColumns(schema.orderColumns);
  const body = csvStream(columns, streamOrders(ctx.store.db, toOrderFilter(q), { schema }), (row: OrderListRow) => orderCsvValues(columns, row));
  body.on('error', (err) => ctx.logger.error('orders csv export failed', { error: err.message }));
  return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="orders.csv"').header('cache-control', 'no-store').send(body);
}

/** dsco_quantity and diff (what DSCO held when sync_stock read it) are empty where DSCO was not read. */
const STOCK_COLUMNS = ['id', 'run_id', 'synced_at', 'warehouse_code', 'wid', 'sku', 'partner_sku', 'quantity', 'dsco_quantity', 'diff', 'pushed', 'confirmed', 'dsco_request_id'] as const;

export async function sendStockCsv(ctx: AdminContext, query: unknown, reply: FastifyReply): Promise<FastifyReply> {
  const q = parseInput(stockQuerySchema, query, 'query');
  const body = csvStream(STOCK_COLUMNS, streamStock(ctx.store.db, toStockFilter(q)), (row: StockRow) => STOCK_COLUMNS.map((c) => (row as StockRow & Record<string, unknown>)[c]));
  body.on('error', (err) => ctx.logger.error('stock csv export failed', { error: err.message }));
  return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="stock.csv"').header('cache-control', 'no-store').send(body);
}

export async function loadAttention(ctx: AdminContext) {
  const now = ctx.now();
  const withinHours = readConsoleSettings(ctx.env).attentionHours;
  const schema = await readConsoleSchema(ctx.store.db);
  const [items, counts] = await Promise.all([listAttention(ctx.store.db, { now, withinHours, schema }), countAttention(ctx.store.db, { now, withinHours, schema })]);
  return { generatedAt: now.toISOString(), withinHours, counts, items };
}

export async function runCheckRange(ctx: AdminContext, body: unknown, actor: string) {
  const range = parseInput(makeCheckRangeSchema(readConsoleSettings(ctx.env).timeZone), body, 'body');
  const outcome = await requestRun(
    ctx,
    'check_orders',
    { window: { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() }, requestedBy: actor },
    true,
  );
  return describeCheckRange(ctx, outcome, range.start, range.end);
}

/**
 * The operations console's JSON API (the pages and the CLI read the same things): orders with
 * filters, one order with its history, guarded audited status changes, single-PO runs, the
 * attention list with retry-now, sync_stock rows and a check over a window.
 */
export function registerConsoleApi(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/orders', async (request) => {
    const page = await loadOrdersPage(ctx, parseOrdersQuery(ctx, request.query));
    // Lists leave the raw payload out (it can be large); the detail has it.
    return { items: page.items, nextCursor: page.nextCursor, counts: page.counts };
  });

  app.get('/api/orders.csv', async (request, reply) => sendOrdersCsv(ctx, parseOrdersQuery(ctx, request.query), reply));

  app.get('/api/orders/:po', async (request) => {
    const po = poParam(request);
    const detail = await loadOrderDetail(ctx, po);
    if (!detail) throw new HttpError(404, `no order ${po}`);
    const { order, ...history } = detail;
    return { ...order, ...history };
  });

  app.post('/api/orders/:po/status', async (request) => {
    const po = poParam(request);
    const body = parseInput(statusChangeSchema, request.body ?? {}, 'body');
    return { audit: await changeOrderStatus(ctx, po, body, actorOf(request)) };
  });

  app.post('/api/orders/:po/run', async (request, reply) => {
    const po = poParam(request);
    const body = parseInput(runActionSchema, request.body ?? {}, 'body');
    const outcome = await runNextTask(ctx, po, actorOf(request), body.wait ?? false);
    return reply.code(outcome.state === 'completed' || outcome.state === 'failed' ? 200 : 202).send(outcome);
  });

  app.post('/api/orders/:po/check', async (request, reply) => {
    const po = poParam(request);
    const body = parseInput(runActionSchema, request.body ?? {}, 'body');
    const outcome = await checkOrder(ctx, po, actorOf(request), body.wait ?? false);
    return reply.code(outcome.state === 'completed' || outcome.state === 'failed' ? 200 : 202).send(outcome);
  });

  app.get('/api/attention', async () => loadAttention(ctx));

  app.post('/api/attention/retry', async (request) => {
    const body = parseInput(retrySchema, request.body ?? {}, 'body');
    return retryNow(ctx, body.po_numbers, actorOf(request));
  });

  app.get('/api/stock', async (request) => {
    const q = parseInput(stockQuerySchema, request.query, 'query');
    return queryStock(ctx.store.db, toStockFilter(q), { limit: q.limit, ...(q.cursor !== undefined ? { after: q.cursor } : {}) });
  });

  // Read-only (a GET), so viewers may compare too; 503 when the admin has no DSCO credentials.
  app.get('/api/stock/live', async (request) => compareLiveStock(ctx, parseLiveSkus((request.query as { sku?: unknown }).sku)));

  app.get('/api/stock.csv', async (request, reply) => sendStockCsv(ctx, request.query, reply));

  app.post('/api/check-range', async (request) => runCheckRange(ctx, request.body ?? {}, actorOf(request)));
}
