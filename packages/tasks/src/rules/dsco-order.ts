import { z } from 'zod';
import { lineKey, type LineKeyPreference } from './line-key.js';

// The tasks' own reading of a DSCO order. The raw payload is stored untouched; this schema only
// decides whether an order is usable and gives typed access to the fields the rules need.
// Anything it rejects is skipped with the returned reason, never thrown.

const text = z.string().trim().max(10_000);
// Free-text fields are bounded: a megabyte buyer note is a broken order, not something to forward.
const optText = z
  .union([z.string().max(5_000, 'is too long (over 5000 characters)'), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? undefined : String(v).trim()));
const money = z
  .union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'must be a number')])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : Number(v)))
  .refine((v) => v === undefined || (Number.isFinite(v) && v >= 0 && v < 1e9), 'must be a non-negative amount');

const lineItemSchema = z.looseObject({
  sku: optText,
  partnerSku: optText,
  dscoItemId: optText,
  lineNumber: z.coerce.number().int().nonnegative().nullish().transform((v) => v ?? undefined),
  quantity: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .positive('must be positive')
    .max(100_000, 'is implausibly large'),
  consumerPrice: money,
  consumerPriceWithTax: money,
  retailPrice: money,
  expectedCost: money,
  status: optText,
});

const shippingObject = z.looseObject({
    name: optText,
    firstName: optText,
    lastName: optText,
    address: z.array(z.unknown()).nullish(),
    address1: optText,
    city: optText,
    region: optText,
    state: optText,
    postal: optText,
    country: optText,
    phone: optText,
    email: optText,
});
type Shipping = z.output<typeof shippingObject>;
const shippingSchema = shippingObject.nullish().transform((s): Shipping => s ?? ({} as Shipping));

const orderSchema = z.looseObject({
  poNumber: text.min(1, 'is required').max(100),
  dscoOrderId: optText,
  dscoRetailerId: optText,
  dscoStatus: optText,
  dscoLifecycle: optText,
  dscoCreateDate: z
    .string({ error: 'is required' })
    .refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'must be an RFC3339 date-time'),
  shipWarehouseCode: optText,
  requestedWarehouseCode: optText,
  shippingServiceLevelCode: optText,
  shipCarrier: optText,
  shipMethod: optText,
  requestedShipMethod: optText,
  currencyCode: optText,
  message: optText,
  shipping: shippingSchema,
  lineItems: z.array(lineItemSchema, { error: 'must be a list' }).min(1, 'must not be empty').max(1000),
});

export type DscoOrder = z.output<typeof orderSchema> & { createTime: number };
export type DscoLineItem = DscoOrder['lineItems'][number];

export type ParsedOrder = { ok: true; order: DscoOrder } | { ok: false; poNumber?: string; reason: string };

/** Reads a raw DSCO order; malformed ones come back with a reason naming the bad fields. */
export function parseDscoOrder(raw: unknown): ParsedOrder {
  const result = orderSchema.safeParse(raw);
  if (!result.success) {
    const po = raw && typeof raw === 'object' ? (raw as { poNumber?: unknown }).poNumber : undefined;
    const reason = `malformed order: ${result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
      .join('; ')}`;
    return { ok: false, ...(typeof po === 'string' && po ? { poNumber: po.slice(0, 100) } : {}), reason };
  }
  const createTime = Math.floor(Date.parse(result.data.dscoCreateDate) / 1000);
  return { ok: true, order: { ...result.data, createTime } };
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
