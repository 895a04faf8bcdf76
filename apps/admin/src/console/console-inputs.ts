import { z } from 'zod';
import { isOrderStatus, ORDER_STATUSES, type OrderFilter, type OrderStatus, type StockFilter } from '@dlsync/store';
import { parseOperatorTime } from './console-time.js';

/** Longest free-text filter value; longer input is refused (400), never sent to Postgres. */
export const MAX_FILTER_TEXT = 200;

// NUL cannot be stored or compared by Postgres and control characters are never in an order's
// fields; refusing them here answers 400 instead of failing in the driver.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]|\p{Cs}/u;

/** An empty form field means "no filter". */
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const text = (max = MAX_FILTER_TEXT) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'must be given once, as text' })
      .trim()
      .max(max, { error: `must be at most ${max} characters`, abort: true })
      .refine((s) => !CONTROL.test(s), 'must not contain control characters')
      .optional(),
  );

/** Part of a PO number: the characters PO numbers are made of. */
const poFragment = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'must be given once, as text' })
    .trim()
    .max(100, { error: 'must be at most 100 characters', abort: true })
    .regex(/^[A-Za-z0-9._\-/#:]+$/, 'may only contain letters, digits and . _ - / # :')
    .optional(),
);

/** One status or several (`status=1&status=2`, or checkboxes). */
const statuses = z.preprocess(blankToUndefined, z.union([z.string(), z.array(z.string())]).optional()).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const list = (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
  const out: OrderStatus[] = [];
  for (const s of list) {
    const n = /^\d$/.test(s) ? Number(s) : NaN;
    if (!isOrderStatus(n)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${ORDER_STATUSES.join(', ')}` });
      return z.NEVER;
    }
    if (!out.includes(n)) out.push(n);
  }
  return out.length > 0 ? out.sort() : undefined;
});

const limit = (max: number, fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1).max(max).default(fallback));

const bool = z.preprocess(blankToUndefined, z.enum(['true', 'false', 'any'], { error: () => 'must be true, false or any' }).optional()).transform((v) =>
  v === undefined || v === 'any' ? undefined : v === 'true',
);

function operatorTime(timeZone: string) {
  return z.preprocess(blankToUndefined, z.string({ error: 'must be given once' }).max(40, { error: 'must be at most 40 characters', abort: true }).optional()).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const ms = parseOperatorTime(v, timeZone);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a date-time like 2026-01-31T14:05 (${timeZone}) or ISO 8601 with offset` });
      return z.NEVER;
    }
    return ms;
  });
}

/** Columns of the orders table a user can show or hide (PO and status always show). */
export const ORDER_COLUMNS = [
  'dsco_create_time',
  'dsco_retailer_id',
  'dsco_status',
  'mskus',
  'warehouse_id',
  'shipment',
  'lingxing_order_nos',
  'shipped_tracking_no',
  'dsco_invoice_id',
  'last_error',
  'attempts',
  'updated_at',
] as const;
export type OrderColumn = (typeof ORDER_COLUMNS)[number];
export const DEFAULT_ORDER_COLUMNS: readonly OrderColumn[] = ['dsco_create_time', 'dsco_retailer_id', 'mskus', 'warehouse_id', 'shipped_tracking_no', 'last_error', 'updated_at'];

const columns = z.preprocess(blankToUndefined, z.union([z.string(), z.array(z.string())]).optional()).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  for (const c of list) {
    if (!(ORDER_COLUMNS as readonly string[]).includes(c)) {
      ctx.addIssue({ code: 'custom', message: `unknown column (known: ${ORDER_COLUMNS.join(', ')})` });
      return z.NEVER;
    }
  }
  return ORDER_COLUMNS.filter((c) => list.includes(c));
});

/** The order filter fields as query parameters; shared by /api/orders, /orders and /orders.csv. */
function orderFilterShape(timeZone: string) {
  return {
    po: poFragment,
    retailer: text(),
    sku: text(),
    warehouse: text(),
    shipment: text(),
    tracking: text(),
    invoice: text(),
    dsco_status: text(),
    status: statuses,
    created_from: operatorTime(timeZone),
    created_to: operatorTime(timeZone),
    has_error: bool,
  };
}

export function makeOrdersQuerySchema(timeZone: string) {
  return z
    .strictObject({
      ...orderFilterShape(timeZone),
      cursor: z.preprocess(blankToUndefined, z.string().min(1).max(1000).optional()),
      limit: limit(500, 50),
      /** Page only: the columns to show (column toggles). */
      cols: columns,
    })
    .superRefine((q, ctx) => {
      if (q.created_from !== undefined && q.created_to !== undefined && q.created_from >= q.created_to) {
        ctx.addIssue({ code: 'custom', path: ['created_from'], message: 'must be before created_to' });
      }
    });
}
export type OrdersQuery = z.output<ReturnType<typeof makeOrdersQuerySchema>>;

/** The store filter of a parsed query (times to epoch seconds; from rounds up, to rounds up: [from, to)). */
export function toOrderFilter(q: OrdersQuery): OrderFilter {
  const f: OrderFilter = {};
  if (q.po) f.poContains = q.po;
  if (q.retailer) f.retailer = q.retailer;
  if (q.sku) f.sku = q.sku;
  if (q.warehouse) f.warehouse = q.warehouse;
  if (q.shipment) f.shipment = q.shipment;
  if (q.tracking) f.tracking = q.tracking;
  if (q.invoice) f.invoiceId = q.invoice;
  if (q.dsco_status) f.dscoStatus = q.dsco_status;
  if (q.status) f.statuses = q.status;
  if (q.created_from !== undefined) f.createdFrom = Math.ceil(q.created_from / 1000);
  if (q.created_to !== undefined) f.createdTo = Math.ceil(q.created_to / 1000);
  if (q.has_error !== undefined) f.hasError = q.has_error;
  return f;
}

const TEXT_KEYS = ['po', 'retailer', 'sku', 'warehouse', 'shipment', 'tracking', 'invoice', 'dsco_status'] as const;

/**
 * The query string of the filter as given (times as ISO UTC), for next-page, CSV and
 * column-toggle links. `extra` entries are appended (cursor, limit, cols).
 */
export function filterQueryString(q: OrdersQuery, extra: [string, string][] = []): string {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) if (q[key]) params.append(key, q[key]);
  for (const s of q.status ?? []) params.append('status', String(s));
  if (q.created_from !== undefined) params.append('created_from', new Date(q.created_from).toISOString());
  if (q.created_to !== undefined) params.append('created_to', new Date(q.created_to).toISOString());
  if (q.has_error !== undefined) params.append('has_error', String(q.has_error));
  for (const [k, v] of extra) params.append(k, v);
  return params.toString();
}

export const statusChangeSchema = z.strictObject({
  /** The status the operator saw; the change is refused (409) if the order moved since. */
  from: z.coerce.number({ error: 'must be a status 1-6' }).int().refine(isOrderStatus, 'must be a status 1-6').transform((n) => n as OrderStatus),
  to: z.coerce.number({ error: 'must be a status 1-5' }).int().refine(isOrderStatus, 'must be a status 1-5').transform((n) => n as OrderStatus),
  reason: z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required: say why the status is changed')
    .max(1000, 'must be at most 1000 characters')
    .refine((s) => !CONTROL.test(s.replace(/[\t\r\n]/g, ' ')), 'must not contain control characters'),
});

export const runActionSchema = z.strictObject({
  /** Wait for the run's Report. (Default: false; the pages always wait) */
  wait: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean().optional()),
});

const poNumbers = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z
    .array(z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/#:]*$/, 'not a PO number'), { error: 'must be a list of PO numbers' })
    .min(1, 'select at least one order')
    .max(1000, 'at most 1000 orders at once'),
);

export const retrySchema = z.strictObject({ po_numbers: poNumbers });

export function makeCheckRangeSchema(timeZone: string) {
  return z
    .strictObject({ start: operatorTime(timeZone), end: operatorTime(timeZone) })
    .superRefine((r, ctx) => {
      if (r.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'required' });
      if (r.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'required' });
      if (r.start !== undefined && r.end !== undefined && r.start >= r.end) ctx.addIssue({ code: 'custom', path: ['start'], message: 'must be before end' });
    })
    .transform((r) => ({ start: r.start!, end: r.end! }));
}

export const stockQuerySchema = z.strictObject({
  run_id: text(100),
  sku: text(),
  warehouse: text(),
  pushed: bool,
  confirmed: bool,
  cursor: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number' }).int().positive().max(Number.MAX_SAFE_INTEGER).optional()),
  limit: limit(1000, 100),
});
export type StockQuery = z.output<typeof stockQuerySchema>;

export function toStockFilter(q: StockQuery): StockFilter {
  return {
    ...(q.run_id ? { runId: q.run_id } : {}),
    ...(q.sku ? { sku: q.sku } : {}),
    ...(q.warehouse ? { warehouse: q.warehouse } : {}),
    ...(q.pushed !== undefined ? { pushed: q.pushed } : {}),
    ...(q.confirmed !== undefined ? { confirmed: q.confirmed } : {}),
  };
}

export function stockQueryString(q: StockQuery, extra: [string, string][] = []): string {
  const params = new URLSearchParams();
  for (const key of ['run_id', 'sku', 'warehouse'] as const) if (q[key]) params.append(key, q[key]);
  if (q.pushed !== undefined) params.append('pushed', String(q.pushed));
  if (q.confirmed !== undefined) params.append('confirmed', String(q.confirmed));
  for (const [k, v] of extra) params.append(k, v);
  return params.toString();
}
