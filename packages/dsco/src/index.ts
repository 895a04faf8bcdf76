export { makeDscoClient } from './client.js';
export type { DscoClient, DscoClientOptions, DscoRateLimits, DscoChangeLogKind, SignalOption } from './client.js';
export type { DscoAuth } from './auth.js';
export { DscoApiError, isRetryableStatus, parseDscoMessages, parseRetryAfter } from './errors.js';
export type { DscoMessage, DscoApiErrorDetails } from './errors.js';
export { clampUntil, UNTIL_MIN_AGE_MS } from './iterate-orders.js';
export type { IterateOrdersOptions, DscoOrderPage, DscoOrderStatus } from './iterate-orders.js';
export { DSCO_BATCH_MAX, chunk, assertBatchSize } from './bodies.js';
export type {
  DscoBatchKind,
  DscoAcknowledgeItem,
  DscoOrderShipments,
  DscoShipment,
  DscoShipmentLineItem,
  DscoInvoice,
  DscoInvoiceLineItem,
  DscoItemInventory,
  DscoWarehouseQuantity,
} from './bodies.js';
export { dscoOrderSchema, dscoLineItemSchema, dscoShippingSchema } from './schemas.js';
export type { DscoOrder, DscoLineItem, DscoShipping, DscoAsyncAccepted, DscoInvoiceRecord, DscoChangeLog } from './schemas.js';
export { dscoWarehouseSchema } from './warehouses.js';
export type { DscoWarehouse } from './warehouses.js';
