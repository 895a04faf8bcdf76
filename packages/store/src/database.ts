import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A value that round-trips through `jsonb`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A `jsonb` column: reads come back parsed; writes take JSON text (`JSON.stringify(value)`),
 * because node-postgres would serialize a JS array as a Postgres array literal, not JSON.
 */
export type JsonColumn = ColumnType<JsonValue, string, string>;

/** `timestamptz` with a database default: read as Date, optional on insert. */
export type CreatedAt = ColumnType<Date, Date | undefined, Date>;

/**
 * The order status machine of SPEC §3. Tasks only ever move a row forward (1 → 2 → 3 → 4 → 5);
 * 5 may also be set by pull for orders already shipped, and 6 only by pull (cancelled in DSCO).
 */
export const ORDER_STATUS = {
  /** Pulled from DSCO, to push to Lingxing. */
  pulled: 1,
  /** In Lingxing, to acknowledge in DSCO. */
  pushed: 2,
  /** Acknowledged, to send the shipment. */
  acknowledged: 3,
  /** Shipment sent, to send the invoice. */
  shipped: 4,
  /** Done: invoiced, or already shipped when first pulled. */
  done: 5,
  /** Cancelled in DSCO. */
  cancelled: 6,
} as const;

export type OrderStatus = (typeof ORDER_STATUS)[keyof typeof ORDER_STATUS];

export const ORDER_STATUSES: readonly OrderStatus[] = [1, 2, 3, 4, 5, 6];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'number' && (ORDER_STATUSES as readonly number[]).includes(value);
}

export interface DscoOrderSyncTable {
  /** bigserial, read as a JS number (see makeStore). */
  id: Generated<number>;
  po_number: string;
  dsco_order_id: string | null;
  dsco_retailer_id: string | null;
  dsco_status: string | null;
  /** UTC epoch seconds of `dscoCreateDate`; int8 read as a JS number. */
  dsco_create_time: number;
  status: OrderStatus;
  /** `SKU(QTY),SKU(QTY)` per line item; SKU = partnerSku else sku. */
  mskus: string | null;
  /** `shipWarehouseCode`. */
  warehouse_id: string | null;
  /** `shippingServiceLevelCode`. */
  shipment: string | null;
  /** Lingxing global_order_no list. */
  lingxing_order_nos: string | null;
  /** Comma-joined, deduplicated tracking numbers already sent to DSCO. */
  shipped_tracking_no: string | null;
  dsco_invoice_id: string | null;
  /** The raw DSCO order, overwritten on re-pull. */
  payload: JsonColumn;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface DscoWarehouseSyncTable {
  id: Generated<number>;
  run_id: string;
  synced_at: CreatedAt;
  warehouse_code: string | null;
  wid: string;
  /** Lingxing local SKU. */
  sku: string;
  /** DSCO partnerSku. */
  partner_sku: string;
  quantity: number;
  pushed: ColumnType<boolean, boolean | undefined, boolean>;
  dsco_request_id: string | null;
}

export interface RuntimeConfigTable {
  id: Generated<number>;
  version: number;
  config: JsonColumn;
  updated_by: string;
  updated_at: CreatedAt;
}

/** The Kysely schema of the dlsync database (migrations/). */
export interface Database {
  dsco_order_sync: DscoOrderSyncTable;
  dsco_warehouse_sync: DscoWarehouseSyncTable;
  runtime_config: RuntimeConfigTable;
}

export type OrderRow = Selectable<DscoOrderSyncTable>;
export type WarehouseSyncRow = Selectable<DscoWarehouseSyncTable>;
export type NewWarehouseSyncRow = Omit<Insertable<DscoWarehouseSyncTable>, 'id'>;
export type RuntimeConfigRow = Selectable<RuntimeConfigTable>;
