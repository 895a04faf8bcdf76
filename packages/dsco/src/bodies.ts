import { DSCO_BODY_BUDGET_BYTES, DSCO_ENDPOINT_LIMITS, DSCO_MAX_BODY_BYTES, jsonBytes, type DscoEndpoint } from './endpoint-limits.js';

/**
 * Request bodies of DSCO's write endpoints (SPEC §7). Optional fields are omitted from the
 * JSON when undefined.
 */

/** `POST /order/acknowledge` item. */
export interface DscoAcknowledgeItem {
  id: string;
  type: 'PO_NUMBER';
  /** Stored on the DSCO order: dlsync sends the Lingxing global order number. */
  supplierOrderNumber?: string;
}

/** What to acknowledge: a PO, with the supplier order number to store on it when known. */
export type DscoAcknowledgeRequest = string | { poNumber: string; supplierOrderNumber?: string };

/** The acknowledge body item of a request; throws a TypeError for an empty PO number. */
export function toAcknowledgeItem(order: DscoAcknowledgeRequest): DscoAcknowledgeItem {
  const { poNumber, supplierOrderNumber } = typeof order === 'string' ? { poNumber: order, supplierOrderNumber: undefined } : order;
  if (typeof poNumber !== 'string' || poNumber.length === 0) throw new TypeError('poNumber must be a non-empty string');
  return { id: poNumber, type: 'PO_NUMBER', ...(supplierOrderNumber ? { supplierOrderNumber } : {}) };
}

/** A shipped line: identified by the line key in `sku` (else partnerSku or dscoItemId). */
export interface DscoShipmentLineItem {
  quantity: number;
  sku?: string;
  partnerSku?: string;
  dscoItemId?: string;
  lineNumber?: number;
  /** The line's quantity is spread over several tracking numbers. */
  packageSpanFlag?: boolean;
}

export interface DscoShipment {
  trackingNumber: string;
  /** RFC3339 UTC. */
  shipDate: string;
  shipCarrier?: string;
  shipMethod?: string;
  shippingServiceLevelCode?: string;
  warehouseCode?: string;
  lineItems: DscoShipmentLineItem[];
}

/** `POST /order/shipment/batch/small` item: the shipments of one order. */
export interface DscoOrderShipments {
  poNumber: string;
  shipments: DscoShipment[];
}

export interface DscoInvoiceLineItem {
  quantity: number;
  /** Required by DSCO. */
  unitPrice: number;
  sku?: string;
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
  /** The supplier's SKU: DSCO keys inventory by it (the line key). */
  sku: string;
  warehouses: DscoWarehouseQuantity[];
  quantityAvailable: number;
  status?: 'in-stock' | 'out-of-stock' | 'discontinued' | 'hidden';
}

/** Splitting inputs into batches: the shared helper, re-exported for callers of this client. */
export { chunk } from '@dlsync/remote';

/** Batches whose JSON array bodies fit a byte budget, and the items too large to send at all. */
export interface PackedBatches<T> {
  batches: T[][];
  /** Items whose JSON alone exceeds the budget: they can never be sent and need a reason. */
  oversize: T[];
}

/** A body being filled: its items and its JSON array's size in bytes so far. */
export interface OpenBody<T> {
  items: T[];
  bytes: number;
}

/** An empty JSON array body: its two brackets. */
export function emptyBody<T>(): OpenBody<T> {
  return { items: [], bytes: 2 };
}

/**
 * Adds `incoming` to the `open` body in order: a body closes when the next item would take it
 * past `budgetBytes`, and an item whose JSON alone does not fit goes to `oversize`. Filling a
 * body across several calls gives exactly the bodies one call with all the items gives, so a
 * task may pack a run chunk by chunk; `full` are the closed bodies, `open` the one filling.
 */
export function fillBodies<T>(
  open: OpenBody<T>,
  incoming: readonly T[],
  wire: (item: T) => unknown,
  budgetBytes = DSCO_BODY_BUDGET_BYTES,
): { full: T[][]; open: OpenBody<T>; oversize: T[] } {
  const full: T[][] = [];
  const oversize: T[] = [];
  let items = [...open.items];
  let bytes = open.bytes;
  for (const item of incoming) {
    const size = jsonBytes(wire(item));
    if (size + 2 > budgetBytes) {
      oversize.push(item);
      continue;
    }
    // One comma before every item but the first.
    if (items.length > 0 && bytes + size + 1 > budgetBytes) {
      full.push(items);
      items = [];
      bytes = 2;
    }
    bytes += size + (items.length > 0 ? 1 : 0);
    items.push(item);
  }
  return { full, open: { items, bytes }, oversize };
}

/**
 * Packs `items` in order into JSON-array bodies of at most `budgetBytes` serialized bytes
 * (DSCO bounds small-batch bodies by size, not by item count). `wire` gives the JSON an item
 * becomes in the body. (Default budget: {@link DSCO_BODY_BUDGET_BYTES})
 */
export function packByBytes<T>(items: readonly T[], wire: (item: T) => unknown, budgetBytes = DSCO_BODY_BUDGET_BYTES): PackedBatches<T> {
  const { full, open, oversize } = fillBodies(emptyBody<T>(), items, wire, budgetBytes);
  return { batches: open.items.length > 0 ? [...full, open.items] : full, oversize };
}

/**
 * Throws a RangeError when a write body is empty or larger than DSCO accepts for `endpoint`;
 * returns the body's size. The client refuses rather than silently making several calls
 * (one call = one requestId to track).
 */
export function assertBodyFits(endpoint: DscoEndpoint, items: readonly unknown[]): number {
  if (items.length === 0) throw new RangeError(`${endpoint}: empty batch`);
  const max = DSCO_ENDPOINT_LIMITS[endpoint].maxBodyBytes ?? DSCO_MAX_BODY_BYTES;
  const bytes = jsonBytes(items);
  if (bytes > max) throw new RangeError(`${endpoint}: body of ${bytes} bytes exceeds DSCO's ${max}; split it with packByBytes()`);
  return bytes;
}
