import { jsonResponse, type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import type { ChangeLogStatusFilter } from '../world/change-log-reads.js';
import type { ChangeLogKind } from '../world/change-logs.js';
import type { DscoStatus } from '../world/types.js';
import type { World } from '../world/world.js';
import { notFound, validationFailed } from './errors.js';
import { parseDscoBody } from './contract.js';
import { acknowledgeBody, inventoryBatchBody, invoiceBatchBody, shipmentBatchBody } from './request-schemas.js';
import type { Scrolls } from './scrolls.js';
import { inventoryGet } from './inventory-get.js';
import { warehousePage } from './warehouse-page.js';

export interface DscoHandlerContext {
  /** `METHOD /path` of the request, for violations. */
  endpoint: string;
  world: World;
  scrolls: Scrolls;
  wallNow: () => number;
}

export type DscoHandler = (request: SandboxRequest, ctx: DscoHandlerContext) => SandboxResponse;

const STATUSES: readonly DscoStatus[] = ['created', 'shipment_pending', 'shipped', 'cancelled'];
const UNTIL_MIN_AGE_MS = 5000;

function parseTime(name: string, value: string | null): number | string {
  if (value === null || value === '') return `${name} is required`;
  const ms = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(ms) ? ms : `${name} must be an ISO-8601 date-time`;
}

/** Refuses the request the way DSCO does (400 VALIDATION_FAILED) and records each problem as a violation. */
function invalid(ctx: DscoHandlerContext, problems: string | string[]): SandboxResponse {
  const list = Array.isArray(problems) ? problems : [problems];
  for (const problem of list) ctx.world.recorder.violation({ side: 'dsco', endpoint: ctx.endpoint, problem, refused: true });
  return validationFailed(list);
}

const orderPage: DscoHandler = (request, ctx) => {
  const { world, scrolls, wallNow } = ctx;
  const q = request.query;
  const scrollId = q.get('scrollId');
  if (scrollId) {
    const page = scrolls.next(scrollId);
    if (!page.found) return notFound(`scrollId ${scrollId} is unknown or expired`);
    return jsonResponse(200, { ...(page.scrollId ? { scrollId: page.scrollId } : {}), orders: page.orders.map((o) => o.order) });
  }
  const errors: string[] = [];
  const until = parseTime('until', q.get('until'));
  if (typeof until === 'string') errors.push(until);
  else if (until > wallNow() - UNTIL_MIN_AGE_MS) errors.push('until must be at least 5 seconds in the past');
  const created = q.get('ordersCreatedSince');
  const updated = q.get('ordersUpdatedSince');
  if ((created === null) === (updated === null)) errors.push('exactly one of ordersCreatedSince or ordersUpdatedSince is required');
  const since = parseTime(created !== null ? 'ordersCreatedSince' : 'ordersUpdatedSince', created ?? updated);
  if (typeof since === 'string' && (created !== null || updated !== null)) errors.push(since);
  const statuses = q.getAll('status').flatMap((s) => s.split(','));
  for (const status of statuses) if (!STATUSES.includes(status as DscoStatus)) errors.push(`status ${status} is not one of ${STATUSES.join(', ')}`);
  const perPageRaw = q.get('ordersPerPage');
  const perPage = perPageRaw === null ? 1000 : Number(perPageRaw);
  if (!Number.isInteger(perPage) || perPage < 10 || perPage > 1000) errors.push('ordersPerPage must be an integer between 10 and 1000');
  if (errors.length > 0 || typeof until === 'string' || typeof since === 'string') return invalid(ctx, errors);
  const items = world.dscoOrders.query({
    ...(created !== null ? { createdSinceMs: since } : { updatedSinceMs: since }),
    untilMs: until,
    statuses: statuses as DscoStatus[],
  });
  const page = scrolls.start(items, perPage);
  return jsonResponse(200, { ...(page.scrollId ? { scrollId: page.scrollId } : {}), orders: page.orders.map((o) => o.order) });
};

const orderByKey: DscoHandler = (request, ctx) => {
  const { world } = ctx;
  const key = request.query.get('orderKey');
  const value = request.query.get('value');
  if (!value) return invalid(ctx, 'value is required');
  if (key === 'poNumber') {
    const order = world.order(value);
    return order ? jsonResponse(200, order.order) : notFound(`no order with poNumber ${value}`);
  }
  if (key === 'dscoOrderId') {
    const order = world.dscoOrders.all().find((o) => o.order.dscoOrderId === value);
    return order ? jsonResponse(200, order.order) : notFound(`no order with dscoOrderId ${value}`);
  }
  return invalid(ctx, 'orderKey must be poNumber or dscoOrderId');
};

const acknowledge: DscoHandler = (request, { world, endpoint }) => {
  const body = parseDscoBody(request, endpoint, acknowledgeBody, world.recorder);
  if (!body.ok) return body.response;
  return jsonResponse(202, world.dsco.acknowledge(body.value));
};

const shipments: DscoHandler = (request, { world, endpoint }) => {
  const body = parseDscoBody(request, endpoint, shipmentBatchBody, world.recorder);
  if (!body.ok) return body.response;
  return jsonResponse(202, { status: 'success', requestId: world.dsco.submitShipments(body.value), messages: [] });
};

const invoices: DscoHandler = (request, { world, endpoint }) => {
  const body = parseDscoBody(request, endpoint, invoiceBatchBody, world.recorder);
  if (!body.ok) return body.response;
  return jsonResponse(202, { status: 'success', requestId: world.dsco.submitInvoices(body.value), messages: [] });
};

const inventory: DscoHandler = (request, { world, endpoint }) => {
  const body = parseDscoBody(request, endpoint, inventoryBatchBody, world.recorder);
  if (!body.ok) return body.response;
  const skip = request.query.get('skipItemsThatDontExist') === 'true';
  return jsonResponse(202, { status: 'success', requestId: world.dsco.submitInventory(body.value, skip), messages: [] });
};

const getInvoices: DscoHandler = (request, ctx) => {
  const { world } = ctx;
  const key = request.query.get('key');
  const value = request.query.get('value');
  if (key !== 'poNumber' && key !== 'invoiceId') return invalid(ctx, 'key must be poNumber or invoiceId');
  if (!value) return invalid(ctx, 'value is required');
  return jsonResponse(200, { invoices: world.dsco.invoicesFor(key, value) });
};

const changeLog =
  (kind: ChangeLogKind): DscoHandler =>
  (request, ctx) => {
    const { world } = ctx;
    const q = request.query;
    const scrollId = q.get('scrollId');
    // A scroll page ignores every other parameter, as the reference says.
    if (scrollId) {
      const page = world.changeLogReads.next(scrollId);
      return page ? jsonResponse(200, page) : notFound(`scrollId ${scrollId} is unknown or expired`);
    }
    const status = (q.get('status') ?? undefined) as ChangeLogStatusFilter | undefined;
    const requestId = q.get('requestId');
    if (requestId) {
      if (!world.changeLogs.get(kind, requestId)) return notFound(`no ${kind} change log for requestId ${requestId}`);
      return jsonResponse(200, world.changeLogReads.first(kind, { requestId, ...(status && { status }) }));
    }
    const start = q.get('startDate');
    const end = q.get('endDate');
    if (!start || !end) return invalid(ctx, 'either requestId or both startDate and endDate are required');
    return jsonResponse(200, world.changeLogReads.first(kind, { startMs: Date.parse(start), endMs: Date.parse(end), ...(status && { status }) }));
  };

/** Routes keyed by `METHOD path` relative to the `/api/v3` base. */
export const DSCO_HANDLERS: Record<string, DscoHandler> = {
  'GET /order/page': orderPage,
  'GET /order/': orderByKey,
  'POST /order/acknowledge': acknowledge,
  'POST /order/shipment/batch/small': shipments,
  'POST /invoice/batch/small': invoices,
  'GET /invoice': getInvoices,
  'POST /inventory/batch/small': inventory,
  'GET /order/log': changeLog('order'),
  'GET /invoice/log': changeLog('invoice'),
  'GET /inventory/log': changeLog('inventory'),
  'GET /warehouse/page': warehousePage,
  'GET /inventory': inventoryGet,
};
