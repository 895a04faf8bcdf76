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

/** A nullable column that may be left out on insert. */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** Nullable timestamptz. */
type NullableTime = Nullable<Date>;
/** A nullable `jsonb` column: read parsed, written as JSON text (see {@link JsonColumn}). */
type NullableJson = ColumnType<JsonValue | null, string | null | undefined, string | null>;

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
  /** The last skip/failure reason at the current status, and when. */
  last_error: Nullable<string>;
  last_error_at: NullableTime;
  /** Runs that tried the row at its current status; reset by every status change. */
  attempts: ColumnType<number, number | undefined, number>;
  /** When the row is next due; null = due now. */
  next_attempt_at: NullableTime;
  /** DSCO's deadlines from the order (`acknowledgeByDate`, `shipByDate`, `invoiceByDate`, `cancelAfterDate`). */
  acknowledge_by: NullableTime;
  ship_by: NullableTime;
  invoice_by: NullableTime;
  cancel_after: NullableTime;
  /** What an operator must look at ({@link ATTENTION}), when it was raised, and why. */
  attention: Nullable<OrderAttentionKind>;
  attention_at: NullableTime;
  attention_detail: Nullable<string>;
  /** When the PO's Lingxing order(s) were cancelled in Lingxing. */
  lingxing_cancelled_at: NullableTime;
  /**
   * The WMS facts ship_to_dsco read when it moved the row 3 → 4 (a versioned object its task
   * validates), so invoice_to_dsco need not read WMS again; null when there was no WMS read.
   * Written as JSON text, like the other jsonb columns.
   */
  ship_facts: NullableJson;
}

/** Kinds of operator attention a row can carry (`dsco_order_sync.attention`). */
export const ATTENTION = {
  /** Cancelled in DSCO after Lingxing shipped it: goods are out, someone must act. */
  cancelledAfterShipped: 'cancelled_after_shipped',
  /** The DSCO address or lines changed after the order was created in Lingxing. */
  changedAfterPush: 'changed_after_push',
} as const;

export type OrderAttentionKind = (typeof ATTENTION)[keyof typeof ATTENTION];

/** Lifecycle of a remote write (`dsco_write.state`). */
export type WriteState = 'sending' | 'pending' | 'success' | 'failure' | 'in_doubt';

/** One remote write (DSCO ack/shipment/invoice/inventory, Lingxing cancelOrder), recorded before the call. */
export interface DscoWriteTable {
  id: Generated<number>;
  kind: string;
  po_numbers: ColumnType<string[], string[] | undefined, string[]>;
  skus: ColumnType<string[], string[] | undefined, string[]>;
  body_hash: string;
  body: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  sent_at: CreatedAt;
  request_id: Nullable<string>;
  state: ColumnType<WriteState, WriteState | undefined, WriteState>;
  results: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  error: Nullable<string>;
  settled_at: NullableTime;
  attempt: ColumnType<number, number | undefined, number>;
  /** Where a change-log read of this write stopped part-way, for the next settle to continue (`{scrollId, entriesRead, requestStatus}`). */
  log_resume: ColumnType<JsonValue | null, string | null | undefined, string | null>;
}

export interface SyncWatermarkTable {
  stream: string;
  until: Date;
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
  /** What DSCO held when the run compared (null: not read). */
  dsco_quantity: ColumnType<number | null, number | null | undefined, number | null>;
  /** `quantity − dsco_quantity` (null when dsco_quantity is). */
  diff: ColumnType<number | null, number | null | undefined, number | null>;
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
  dsco_write: DscoWriteTable;
  sync_watermark: SyncWatermarkTable;
}

export type OrderRow = Selectable<DscoOrderSyncTable>;
export type WarehouseSyncRow = Selectable<DscoWarehouseSyncTable>;
export type NewWarehouseSyncRow = Omit<Insertable<DscoWarehouseSyncTable>, 'id'>;
export type RuntimeConfigRow = Selectable<RuntimeConfigTable>;
export type WriteRow = Selectable<DscoWriteTable>;
