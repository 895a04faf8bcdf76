import { z } from 'zod';

// Lingxing adds fields and sends numbers as strings (and ids as numbers) depending on the
// endpoint, so every object is loose, ids normalise to strings and counts to numbers. Bodies
// are parsed losslessly (json.ts): an id above 2^53 arrives here as its decimal string.

/** An identifier sent as a string or a number; always a string here. */
const id = z.union([z.string(), z.number()]).transform(String);
/** Optional text; missing or null becomes "". */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
/** A count or status, possibly sent as a string. */
const num = z.coerce.number();

/** An array that Lingxing may send as null or omit when empty. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v): z.output<T>[] => v ?? []);
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ total: num, list: listOf(item) });
}

export const createOrdersResultSchema = z.looseObject({
  success_details: listOf(z.looseObject({ platform_order_no: id, global_order_no: id })),
  error_details: listOf(z.looseObject({ platform_order_no: text, error_message: text })),
});
export type CreateOrdersResult = z.output<typeof createOrdersResultSchema>;

/** `/pb/mp/order/v2/cancelOrder`: process_code 10000 all failed, 10001 partly, 10002 all done. */
export const cancelOrdersResultSchema = z.looseObject({
  success_num: num,
  fail_num: num,
  process_code: num.optional(),
  failure_info: listOf(z.looseObject({ global_order_no: id, message: text })),
});
export type CancelOrdersResult = z.output<typeof cancelOrdersResultSchema>;

/** A multi-platform order (`/pb/mp/order/v2/list`); one PO may have several (split) orders. */
export const orderSchema = z.looseObject({
  global_order_no: id,
  store_id: text,
  /** 1 syncing, 2 synced, 3 to pay, 4 to review, 5 to ship, 6 shipped, 7 cancelled, 8 hidden, 9 platform-shipped. */
  status: num,
  platform_info: listOf(z.looseObject({ platform_order_no: text })),
  item_info: listOf(z.looseObject({ msku: text, local_sku: text, quantity: num })),
  logistics_info: z.unknown().optional(),
});
export type LingxingOrder = z.output<typeof orderSchema>;

/**
 * One product row of an outbound order. bundle_type: 0 ordinary product, 1 bundle (the row the
 * order line names), 2 a component split out of the bundle row `bundle_wod_id` points at.
 */
export const wmsProductSchema = z.looseObject({
  wod_id: text,
  sku: text,
  seller_sku: text,
  count: num,
  bundle_type: z.coerce.number().nullish().transform((v) => v ?? 0),
  bundle_wod_id: text,
});

/** A WMS outbound order (`wmsOrderList`); status 1 logistics ordered, 2 shipping, 3 shipped, 4 deleted. */
export const wmsOrderSchema = z.looseObject({
  /** The outbound's own number (one order may have several outbounds). */
  wo_number: text,
  /** The system (global) order number the outbound ships. */
  order_number: text,
  platform_order_no: z
    .union([z.array(id), id])
    .nullish()
    .transform((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v])),
  tracking_no: text,
  /** Warehouse-local "YYYY-MM-DD HH:MM:SS" or ""; see {@link parseLingxingTime}. */
  delivered_at: text,
  stock_delivered_at: text,
  status: num,
  sid: text,
  wid: text,
  product_info: listOf(wmsProductSchema),
});
export type WmsOrder = z.output<typeof wmsOrderSchema>;

/**
 * One SKU's stock in one warehouse (`inventoryDetails`). A missing or non-numeric
 * `product_valid_num` is null, so the caller skips the row instead of reading it as 0.
 */
export const inventoryRowSchema = z.looseObject({
  wid: text,
  sku: text,
  product_valid_num: z.unknown().optional().transform(quantityOrNull),
});

/** A count sent as a number or a numeric string; anything else (missing, "", "n/a") is null. */
function quantityOrNull(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}
export type InventoryRow = z.output<typeof inventoryRowSchema>;

/** An MSKU ↔ local SKU pair (`getPairList`). */
export const skuPairSchema = z.looseObject({
  store_id: text,
  msku: text,
  sku: text,
  platform_code: text,
  pair_time: text,
});
export type SkuPair = z.output<typeof skuPairSchema>;

export const tokenDataSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: num,
});
export type TokenData = z.output<typeof tokenDataSchema>;

export interface Page<T> {
  total: number;
  list: T[];
}
