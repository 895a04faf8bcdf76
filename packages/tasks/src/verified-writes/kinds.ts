import type { ChangeLogKind, ChangeLogSubject, DscoAcknowledgeItem, DscoAsyncAccepted, DscoInvoice, DscoItemInventory, DscoOrderShipments } from '@dlsync/dsco';
import { ORDER_STATUS, type OrderStatus } from '@dlsync/store';

/** The four asynchronous DSCO writes. Each settles in a change log, never on its 202. */
export type WriteKind = 'ack' | 'shipment' | 'invoice' | 'inventory';

/** How one kind of write is tracked: where its outcome appears and what identifies an item. */
export interface WriteKindBase<Item> {
  kind: WriteKind;
  /** The change log its items settle in. */
  log: ChangeLogKind;
  /** The entry shape of its items in that log (the order log mixes several). */
  shape: ChangeLogSubject['shape'];
  /** Whether an item's key is a PO number (stored in po_numbers) or a SKU (skus). */
  keyType: 'po' | 'sku';
  /** The status the item's order row waits at until DSCO confirms; none for inventory. */
  rowStatus?: OrderStatus;
  /** The key an item is tracked by. */
  keyOf(item: Item): string;
  /** The key a change-log entry's subject is about, or undefined when it is not about one of ours. */
  keyOfSubject(subject: ChangeLogSubject): string | undefined;
  /**
   * Whether a change-log entry found by time window (no requestId to go by) is this item's:
   * same key, and for shipments one of the same tracking numbers. (Default: same key)
   */
  sameItem?(item: Item, subject: ChangeLogSubject): boolean;
}

/** A kind as a task declares it: the tracking of {@link WriteKindBase} plus the call that sends a batch. */
export interface WriteKindSpec<Item> extends WriteKindBase<Item> {
  /** One async call carrying `items`; resolves with DSCO's 202 answer. */
  send(items: Item[], signal: AbortSignal): Promise<DscoAsyncAccepted>;
  /**
   * What the task needs to know about an item when it settles, possibly runs later (e.g. that
   * a shipment completes its order); kept beside the item's result, never sent. (Default: none)
   */
  metaOf?(item: Item): Record<string, unknown> | undefined;
}

/** `POST /order/acknowledge` items, settled in `/order/log`; rows wait at 2. */
export const ACK_KIND: WriteKindBase<DscoAcknowledgeItem> = {
  kind: 'ack',
  log: 'order',
  shape: 'acknowledge',
  keyType: 'po',
  rowStatus: ORDER_STATUS.pushed,
  keyOf: (item) => item.id,
  keyOfSubject: (s) => (s.shape === 'acknowledge' ? s.poNumber : undefined),
};

/** `POST /order/shipment/batch/small` items (one per PO), settled in `/order/log`; rows wait at 3. */
export const SHIPMENT_KIND: WriteKindBase<DscoOrderShipments> = {
  kind: 'shipment',
  log: 'order',
  shape: 'shipment',
  keyType: 'po',
  rowStatus: ORDER_STATUS.acknowledged,
  keyOf: (item) => item.poNumber,
  keyOfSubject: (s) => (s.shape === 'shipment' ? s.poNumber : undefined),
  // Another shipment of the same PO (an earlier partial one) must not settle this one.
  sameItem: (item, s) => {
    const sent = new Set(item.shipments.map((x) => x.trackingNumber));
    return (s.trackingNumbers ?? []).some((t) => sent.has(t));
  },
};

/** `POST /invoice/batch/small` items, settled in `/invoice/log`; rows wait at 4. Keyed by PO (invoiceId = poNumber). */
export const INVOICE_KIND: WriteKindBase<DscoInvoice> = {
  kind: 'invoice',
  log: 'invoice',
  shape: 'invoice',
  keyType: 'po',
  rowStatus: ORDER_STATUS.shipped,
  keyOf: (item) => item.poNumber,
  keyOfSubject: (s) => (s.shape === 'invoice' ? s.poNumber : undefined),
  sameItem: (item, s) => s.invoiceId === undefined || s.invoiceId === item.invoiceId,
};

/** `POST /inventory/batch/small` items, settled in `/inventory/log`; keyed by DSCO sku. */
export const INVENTORY_KIND: WriteKindBase<DscoItemInventory> = {
  kind: 'inventory',
  log: 'inventory',
  shape: 'inventory',
  keyType: 'sku',
  keyOf: (item) => item.sku,
  keyOfSubject: (s) => (s.shape === 'inventory' ? s.sku : undefined),
};
