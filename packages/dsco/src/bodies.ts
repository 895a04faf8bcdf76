/**
 * Request bodies of DSCO's write endpoints (SPEC §7). Optional fields are omitted from the
 * JSON when undefined.
 */

/** `POST /order/acknowledge` item. */
export interface DscoAcknowledgeItem {
  id: string;
  type: 'PO_NUMBER';
}

/** A shipped line: identify it by partnerSku, sku or dscoItemId (at least one). */
export interface DscoShipmentLineItem {
  quantity: number;
  partnerSku?: string;
  sku?: string;
  dscoItemId?: string;
  lineNumber?: number;
}

export interface DscoShipment {
  trackingNumber: string;
  /** RFC3339 UTC. */
  shipDate: string;
  shipCarrier?: string;
  shipMethod?: string;
  shippingServiceLevelCode?: string;
  lineItems: DscoShipmentLineItem[];
}

/** `POST /order/shipment/batch/small` item: the shipments of one order. */
export interface DscoOrderShipments {
  poNumber: string;
  shipments: DscoShipment[];
}

export interface DscoInvoiceLineItem {
  quantity: number;
  unitPrice: number;
  partnerSku?: string;
  dscoItemId?: string;
  lineNumber?: number;
}

/** `POST /invoice/batch/small` item. */
export interface DscoInvoice {
  invoiceId: string;
  poNumber: string;
  /** RFC3339. */
  invoiceDate: string;
  currencyCode?: string;
  totalAmount: number;
  lineItems: DscoInvoiceLineItem[];
}

export interface DscoWarehouseQuantity {
  code: string;
  quantity: number;
}

/** `POST /inventory/batch/small` item (DSCO's ItemInventory). */
export interface DscoItemInventory {
  /** The supplier's SKU as DSCO knows it (our partnerSku). */
  sku: string;
  warehouses: DscoWarehouseQuantity[];
  quantityAvailable: number;
}

/**
 * Largest batch one "small" call carries. DSCO's small-batch endpoints are synchronous-size
 * requests meant for modest payloads; these maxima keep a body well under its limits and a
 * single failure small. Callers split larger inputs with {@link chunk}; the client refuses
 * a batch over the maximum rather than silently making several calls (one call = one
 * requestId to track).
 */
export const DSCO_BATCH_MAX = {
  /** POs per `POST /order/acknowledge`. */
  acknowledge: 100,
  /** Orders (each with its shipments) per `POST /order/shipment/batch/small`. */
  shipments: 100,
  /** Invoices per `POST /invoice/batch/small`. */
  invoices: 100,
  /** Items per `POST /inventory/batch/small`. */
  inventory: 500,
} as const;

/** Splitting large inputs into batches: the shared helper, re-exported for callers of this client. */
export { chunk } from '@dlsync/remote';

export type DscoBatchKind = keyof typeof DSCO_BATCH_MAX;

/** Throws a RangeError when a batch is empty or larger than {@link DSCO_BATCH_MAX}. */
export function assertBatchSize(kind: DscoBatchKind, items: readonly unknown[]): void {
  const max = DSCO_BATCH_MAX[kind];
  if (items.length === 0) throw new RangeError(`${kind}: empty batch`);
  if (items.length > max) throw new RangeError(`${kind}: batch of ${items.length} exceeds ${max}; split it with chunk()`);
}
