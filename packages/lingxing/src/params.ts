import type { DecimalId } from './wire-ids.js';

/**
 * Request parameters of the typed methods, as the reference pages type them. Ids are decimal
 * strings here; where the reference says int (wmsOrderList `sid_arr`) the client writes the
 * exact digits as a JSON integer. Extra fields are passed through and signed.
 */

export interface CreateOrderItem {
  msku: string;
  /** Local SKU; omit when the MSKU is not mapped. */
  sku?: string;
  quantity: number;
  unit_price: number | string;
  [field: string]: unknown;
}

export interface CreateOrderInput {
  /** The DSCO PO number; Lingxing rejects a duplicate within a store. */
  platform_order_no: string;
  receiver_country_code?: string;
  receiver_name?: string;
  state_or_region?: string;
  city?: string;
  address_line1?: string;
  address_line2?: string;
  postal_code?: string;
  receiver_mobile?: string;
  buyer_email?: string;
  buyer_note?: string;
  /** ISO 4217 (Default at Lingxing: the store's currency) */
  amount_currency?: string;
  /** Warehouse id, a string on the wire; requires logistics_type_id. */
  wid?: DecimalId;
  /** Logistics type id, a string on the wire; requires wid. */
  logistics_type_id?: DecimalId;
  items: CreateOrderItem[];
  [field: string]: unknown;
}

export interface CreateOrdersParams {
  platform_code: number;
  store_id: DecimalId;
  orders: CreateOrderInput[];
}

export interface ListOrdersParams {
  /** At most 200. */
  platform_order_nos?: string[];
  /** Our store ids; a PO number is unique per store only, so lists should always be scoped. */
  store_id?: DecimalId[];
  offset: number;
  /** At most 500. */
  length: number;
  include_delete: boolean;
  [field: string]: unknown;
}

export interface CancelOrdersParams {
  /** Global order numbers (system order numbers) to mark "do not ship". */
  order_list: DecimalId[];
}

/** Which time the wmsOrderList window filters on. */
export type WmsTimeType = 'create_at' | 'delivered_at' | 'stock_delivered_at' | 'update_at';

export interface WmsOrderListParams {
  /** 1-based. */
  page: number;
  /** At most 200. */
  page_size: number;
  /** Store ids (the WMS "sid"); written as JSON integers with their exact digits. */
  sid_arr: DecimalId[];
  /** At most 200. */
  platform_order_no_arr: string[];
  status_arr?: number[];
  /** Without a window Lingxing returns only the last month. */
  time_type?: WmsTimeType;
  /** `YYYY-MM-DD`. */
  start_date?: string;
  /** `YYYY-MM-DD`. */
  end_date?: string;
  [field: string]: unknown;
}

export interface InventoryDetailsParams {
  /** Comma-separated warehouse ids, e.g. "1,2". */
  wid: string;
  offset: number;
  /** At most 800. */
  length: number;
  sku?: string;
  [field: string]: unknown;
}

export interface GetPairListParams {
  offset: number;
  length: number;
  platform_codes: string[];
  store_ids: DecimalId[];
  msku?: string[];
  sku?: string[];
  [field: string]: unknown;
}

/** Options every client method takes. */
export interface CallOptions {
  /** Cancels waiting for a bucket slot, the request, and any backoff. */
  signal?: AbortSignal;
}
