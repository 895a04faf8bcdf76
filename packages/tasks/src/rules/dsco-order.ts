import { DSCO_ORDER_TEXT_FIELDS, type DscoLineItemFields, type DscoOrderTextFields, type DscoShippingFields } from '@dlsync/dsco';
import { lineKey, type LineKeyPreference } from './line-key.js';

// The tasks' own reading of a DSCO order. The raw payload is stored untouched; this reader only
// decides whether an order is usable and gives typed access to the fields the rules need.
// Anything it rejects is skipped with the returned reason, never thrown. It is written out by
// hand rather than as a schema because every stage reads every order it handles (five times
// over an order's life): a schema library's per-field result objects made it the largest
// allocation of the whole pipeline. Fields it does not know are kept as they came.

/** A line item as the rules read it: its quantity a positive integer. */
export interface DscoLineItem extends DscoLineItemFields {
  quantity: number;
  [field: string]: unknown;
}

/** Shipping as the rules read it: `address` is whatever list the order gave. */
export interface DscoShipping extends Omit<DscoShippingFields, 'address'> {
  address?: unknown[] | null;
  [field: string]: unknown;
}

/** An order as the rules read it: a PO, a creation date and at least one line. */
export interface DscoOrder extends DscoOrderTextFields {
  poNumber: string;
  dscoCreateDate: string;
  /** `{}` when the order has none. */
  shipping: DscoShipping;
  lineItems: DscoLineItem[];
  /** UTC epoch seconds of `dscoCreateDate`. */
  createTime: number;
  [field: string]: unknown;
}

export type ParsedOrder = { ok: true; order: DscoOrder } | { ok: false; poNumber?: string; reason: string };

/** Free-text fields are bounded: a megabyte buyer note is a broken order, not something to forward. */
const MAX_FREE_TEXT = 5_000;
const MAX_PO_NUMBER = 100;
const MAX_LINES = 1_000;
const MAX_QUANTITY = 100_000;
const MAX_AMOUNT = 1e9;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const RFC3339_DATE = /^\d{4}-\d{2}-\d{2}T/;

/** The order's text fields but its creation date, which is required and read apart. */
const ORDER_TEXT = DSCO_ORDER_TEXT_FIELDS.filter((key): key is Exclude<typeof key, 'dscoCreateDate'> => key !== 'dscoCreateDate');
const SHIPPING_TEXT = ['name', 'firstName', 'lastName', 'address1', 'city', 'region', 'state', 'postal', 'country', 'phone', 'email'] as const;
const LINE_TEXT = ['sku', 'partnerSku', 'dscoItemId'] as const;
const LINE_MONEY = ['consumerPrice', 'consumerPriceWithTax', 'retailPrice', 'expectedCost'] as const;

type Fields = Record<string, unknown>;

/** Collects what is wrong, each with the path of its field, in field order. */
interface Issues {
  list: string[];
  add(path: string, message: string): undefined;
}

function makeIssues(): Issues {
  const list: string[] = [];
  return { list, add: (path, message) => void list.push(`${path} ${message}`) };
}

const isFields = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Optional text: a string or number, trimmed; blank reads as absent. */
function optText(v: unknown, path: string, issues: Issues): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    if (v.length > MAX_FREE_TEXT) return issues.add(path, `is too long (over ${MAX_FREE_TEXT} characters)`);
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number') return String(v).trim();
  return issues.add(path, 'must be text or a number');
}

/** Optional non-negative amount: a number or a decimal string. */
function money(v: unknown, path: string, issues: Issues): number | undefined {
  if (v === null || v === undefined) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && DECIMAL.test(v.trim())) n = Number(v.trim());
  else return issues.add(path, 'must be a number');
  return Number.isFinite(n) && n >= 0 && n < MAX_AMOUNT ? n : issues.add(path, 'must be a non-negative amount');
}

/** Required quantity, read as a number (as DSCO's CSV-born feeds may send "2"). */
function quantity(v: unknown, path: string, issues: Issues): number {
  const n = Number(v);
  if (!Number.isFinite(n)) issues.add(path, 'must be a number');
  else {
    if (!Number.isInteger(n)) issues.add(path, 'must be an integer');
    if (n <= 0) issues.add(path, 'must be positive');
    if (n > MAX_QUANTITY) issues.add(path, 'is implausibly large');
  }
  return n;
}

function lineNumber(v: unknown, path: string, issues: Issues): number | undefined {
  if (v === null || v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : issues.add(path, 'must be a non-negative integer');
}

function readLine(raw: unknown, path: string, issues: Issues): DscoLineItem {
  if (!isFields(raw)) {
    issues.add(path, 'must be an object');
    return { quantity: 0 };
  }
  const line: DscoLineItem = { ...raw, quantity: 0 };
  for (const key of LINE_TEXT) line[key] = optText(raw[key], `${path}.${key}`, issues);
  line.lineNumber = lineNumber(raw.lineNumber, `${path}.lineNumber`, issues);
  line.quantity = quantity(raw.quantity, `${path}.quantity`, issues);
  for (const key of LINE_MONEY) line[key] = money(raw[key], `${path}.${key}`, issues);
  line.status = optText(raw.status, `${path}.status`, issues);
  return line;
}

function readShipping(raw: unknown, issues: Issues): DscoShipping {
  if (raw === null || raw === undefined) return {};
  if (!isFields(raw)) return issues.add('shipping', 'must be an object') ?? {};
  const shipping: DscoShipping = { ...raw };
  for (const key of SHIPPING_TEXT) shipping[key] = optText(raw[key], `shipping.${key}`, issues);
  const address = raw.address;
  if (address !== undefined && address !== null && !Array.isArray(address)) issues.add('shipping.address', 'must be a list');
  return shipping;
}

function readLines(raw: unknown, issues: Issues): DscoLineItem[] {
  if (!Array.isArray(raw)) return issues.add('lineItems', 'must be a list') ?? [];
  if (raw.length === 0) issues.add('lineItems', 'must not be empty');
  if (raw.length > MAX_LINES) return issues.add('lineItems', `must have at most ${MAX_LINES} lines`) ?? [];
  return raw.map((line, i) => readLine(line, `lineItems.${i}`, issues));
}

function readPoNumber(raw: unknown, issues: Issues): string {
  if (typeof raw !== 'string') return issues.add('poNumber', raw === undefined || raw === null ? 'is required' : 'must be text') ?? '';
  const po = raw.trim();
  if (po === '') issues.add('poNumber', 'is required');
  else if (po.length > MAX_PO_NUMBER) issues.add('poNumber', `is too long (over ${MAX_PO_NUMBER} characters)`);
  return po;
}

function readCreateDate(raw: unknown, issues: Issues): string {
  if (typeof raw !== 'string') return issues.add('dscoCreateDate', 'is required') ?? '';
  if (Number.isNaN(Date.parse(raw)) || !RFC3339_DATE.test(raw)) issues.add('dscoCreateDate', 'must be an RFC3339 date-time');
  return raw;
}

/** Reads a raw DSCO order; malformed ones come back with a reason naming the bad fields. */
export function parseDscoOrder(raw: unknown): ParsedOrder {
  if (!isFields(raw)) return { ok: false, reason: 'malformed order: (root) must be an object' };
  const issues = makeIssues();
  const order = { ...raw } as DscoOrder;
  order.poNumber = readPoNumber(raw.poNumber, issues);
  for (const key of ORDER_TEXT) order[key] = optText(raw[key], key, issues);
  order.dscoCreateDate = readCreateDate(raw.dscoCreateDate, issues);
  order.shipping = readShipping(raw.shipping, issues);
  order.lineItems = readLines(raw.lineItems, issues);
  if (issues.list.length > 0) {
    const po = order.poNumber.slice(0, MAX_PO_NUMBER);
    return { ok: false, ...(po && { poNumber: po }), reason: `malformed order: ${issues.list.slice(0, 3).join('; ')}` };
  }
  order.createTime = Math.floor(Date.parse(order.dscoCreateDate) / 1000);
  return { ok: true, order };
}

/** `KEY(QTY),KEY(QTY)` per line item by its line key, duplicates kept. */
export function formatMskus(order: DscoOrder, preference: LineKeyPreference = 'sku'): string {
  return order.lineItems.map((l) => `${lineKey(l, preference) ?? ''}(${l.quantity})`).join(',');
}

/** multi_ban: more than one line or any quantity above one. */
export function isMultiItem(order: Pick<DscoOrder, 'lineItems'>): boolean {
  return order.lineItems.length > 1 || order.lineItems.some((l) => l.quantity > 1);
}

/** Status of a freshly pulled order (SPEC §6), or undefined for a status dlsync does not handle. */
export function pulledStatus(order: Pick<DscoOrder, 'dscoStatus' | 'dscoLifecycle'>): 1 | 5 | 6 | undefined {
  if (order.dscoStatus === 'cancelled') return 6;
  if (order.dscoStatus === 'shipped' || order.dscoLifecycle === 'completed') return 5;
  if (order.dscoStatus === 'created' || order.dscoStatus === 'shipment_pending') return 1;
  return undefined;
}
