import { z } from 'zod';
import { LINGXING_PATHS } from '../options.js';

// Request bodies of every endpoint dlsync calls, written from Lingxing's reference pages. Objects
// are strict so an unknown field is noticed (recorded as a violation); a wrong type, a missing
// required field or a page over the documented maximum is refused with Lingxing's code 102.
// Bodies are parsed losslessly: an integer above 2^53 arrives as a bigint.

/** A JSON integer (ids above 2^53 arrive as bigint). */
const int = z.union([z.number().int(), z.bigint()]);
const nonNegative = z.number().int().nonnegative();
/** A field the reference types as string: a number there is a type error. */
const str = z.string();
/** Digits in a string, as the references send ids typed [string]. */
const idString = z.string().regex(/^\d+$/, 'expected decimal digits in a string');
/** The references type amounts [number] but show "10.00"; both are accepted. */
const amount = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]);
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected Y-m-d');

const createItem = z.strictObject({
  sku: str.min(1).optional(),
  msku: str.min(1).optional(),
  quantity: z.number().int().positive(),
  unit_price: amount,
  stock_deduction_type: z.union([z.number().int(), str]).optional(),
});

const createOrder = z.strictObject({
  platform_order_no: str.min(1),
  site_code: str.optional(),
  buyer_note: str.optional(),
  receiver_country_code: str.length(2),
  customer_shipping_amount: amount.optional(),
  customer_tax_amount: amount.optional(),
  order_total_amount: amount.optional(),
  wid: idString.optional(),
  global_purchase_time: z.number().int().optional(),
  global_payment_time: z.number().int().optional(),
  remark: str.optional(),
  logistics_type_id: idString.optional(),
  receiver_name: str.min(1),
  address_type: z.union([z.literal(1), z.literal(2)]).optional(),
  buyer_choose_express: str.optional(),
  receiver_company_name: str.optional(),
  city: str.min(1),
  address_line1: str.min(1),
  amount_currency: str.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code').optional(),
  // Not on the public create page, but dlsync's design sends them (accounts may have them
  // enabled); accepted so they are not reported on every order.
  address_line2: str.optional(),
  state_or_region: str.optional(),
  postal_code: str.optional(),
  receiver_mobile: str.optional(),
  buyer_email: str.optional(),
  items: z.array(createItem).min(1),
});

export const createBodySchema = z.strictObject({
  platform_code: int,
  store_id: idString,
  orders: z.array(createOrder).min(1),
});

export const listBodySchema = z.strictObject({
  offset: nonNegative,
  length: z.number().int().min(1).max(500),
  date_type: z.enum(['update_time', 'global_purchase_time', 'global_delivery_time', 'global_payment_time', 'delivery_time']).optional(),
  start_time: z.number().int().optional(),
  end_time: z.number().int().optional(),
  store_id: z.array(idString).optional(),
  platform_code: z.array(z.union([z.number().int(), idString])).optional(),
  platform_order_nos: z.array(str).max(200).optional(),
  platform_order_names: z.array(str).max(200).optional(),
  order_status: z.number().int().min(1).max(9).optional(),
  platform_shipping_status: z.array(str).optional(),
  platform_payment_status: z.array(str).optional(),
  include_delete: z.boolean().optional(),
});

export const cancelBodySchema = z.strictObject({
  order_list: z.array(idString).min(1),
});

export const wmsBodySchema = z.strictObject({
  page: z.number().int().min(1).optional(),
  page_size: z.number().int().min(1).max(200).optional(),
  sid_arr: z.array(int).optional(),
  status_arr: z.array(z.number().int().min(1).max(4)).optional(),
  logistics_status_arr: z.array(z.number().int()).optional(),
  platform_order_no_arr: z.array(str).optional(),
  order_number_arr: z.array(idString).optional(),
  wo_number_arr: z.array(str).optional(),
  time_type: z.enum(['create_at', 'delivered_at', 'stock_delivered_at', 'update_at']).optional(),
  start_date: ymd.optional(),
  end_date: ymd.optional(),
});

export const inventoryBodySchema = z.strictObject({
  wid: str.regex(/^\d+(,\d+)*$/, 'expected comma-separated warehouse ids').optional(),
  offset: nonNegative.optional(),
  length: z.number().int().min(1).max(800).optional(),
  sku: str.optional(),
});

export const pairBodySchema = z.strictObject({
  length: z.number().int().min(1).optional(),
  offset: nonNegative.optional(),
  msku: z.array(str).optional(),
  sku: z.array(str).optional(),
  start_time: str.optional(),
  end_time: str.optional(),
  platform_codes: z.array(idString).optional(),
  store_ids: z.array(idString).optional(),
  use_cursor: z.boolean().optional(),
  cursor_id: z.union([str, z.number()]).optional(),
});

/** Form fields of the two auth-server calls. */
export const tokenFormSchema = z.strictObject({ appId: str.min(1), appSecret: str.min(1) });
export const refreshFormSchema = z.strictObject({ appId: str.min(1), refreshToken: str.min(1) });

/** The body schema of every business path the fake serves. */
export const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  [LINGXING_PATHS.orderCreate]: createBodySchema,
  [LINGXING_PATHS.orderList]: listBodySchema,
  [LINGXING_PATHS.orderCancel]: cancelBodySchema,
  [LINGXING_PATHS.wmsOrderList]: wmsBodySchema,
  [LINGXING_PATHS.inventoryDetails]: inventoryBodySchema,
  [LINGXING_PATHS.pairList]: pairBodySchema,
};

export type CreateBody = z.output<typeof createBodySchema>;
export type CreateOrderBody = CreateBody['orders'][number];
export type ListBody = z.output<typeof listBodySchema>;
export type CancelBody = z.output<typeof cancelBodySchema>;
export type WmsBody = z.output<typeof wmsBodySchema>;
export type InventoryBody = z.output<typeof inventoryBodySchema>;
export type PairBody = z.output<typeof pairBodySchema>;
