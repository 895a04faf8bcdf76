/** Request parameters of the typed methods. Extra fields are passed through and signed. */

export interface CreateOrderItem {
  msku: string;
  /** Local SKU; omit when the MSKU is not mapped. */
  sku?: string;
  quantity: number;
  unit_price: number | string;
  [field: string]: unknown;
}

export interface CreateOrderInput {
  /** The DSCO PO number; Lingxing rejects a duplicate. */
  platform_order_no: string;
  receiver_country_code?: string;
  receiver_name?: string;
  state_or_region?: string;
  city?: string;
  address_line1?: string;
  postal_code?: string;
  receiver_mobile?: string;
  buyer_email?: string;
  buyer_note?: string;
  wid?: number | string;
  logistics_type_id?: number | string;
  items: CreateOrderItem[];
  [field: string]: unknown;
}

export interface CreateOrdersParams {
  platform_code: number | string;
  store_id: string;
  orders: CreateOrderInput[];
}

export interface ListOrdersParams {
  /** At most 200. */
  platform_order_nos?: string[];
  store_id?: string[];
  offset: number;
  /** At most 500. */
  length: number;
  include_delete: boolean;
  [field: string]: unknown;
}

export interface WmsOrderListParams {
  /** 1-based. */
  page: number;
  /** At most 200. */
  page_size: number;
  sid_arr: number[];
  /** At most 200. */
  platform_order_no_arr: string[];
  status_arr?: number[];
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
  store_ids: string[];
  msku?: string;
  sku?: string;
  [field: string]: unknown;
}

/** Options every client method takes. */
export interface CallOptions {
  /** Cancels waiting for a bucket slot, the request, and any backoff. */
  signal?: AbortSignal;
}
