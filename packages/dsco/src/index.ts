export { makeDscoClient } from './client.js';
export type { DscoClient, DscoClientOptions, DscoRateLimits, DscoChangeLogKind, SignalOption } from './client.js';
export { DSCO_ENDPOINTS, DSCO_ENDPOINT_LIMITS, DSCO_MAX_BODY_BYTES, DSCO_BODY_BUDGET_BYTES, jsonBytes } from './endpoint-limits.js';
export type { DscoEndpoint, DscoEndpointLimit } from './endpoint-limits.js';
export type { DscoAuth } from './auth.js';
export { DscoApiError, describeDscoDescription, isRetryableStatus, parseDscoMessages, parseRetryAfter } from './errors.js';
export type { DscoMessage, DscoApiErrorDetails } from './errors.js';
export { clampUntil, UNTIL_MIN_AGE_MS } from './iterate-orders.js';
export type { IterateOrdersOptions, DscoOrderPage, DscoOrderStatus } from './iterate-orders.js';
export { chunk, emptyBody, fillBodies, packByBytes, assertBodyFits, toAcknowledgeItem } from './bodies.js';
export type {
  PackedBatches,
  DscoAcknowledgeRequest,
  DscoAcknowledgeItem,
  DscoOrderShipments,
  DscoShipment,
  DscoShipmentLineItem,
  DscoInvoice,
  DscoInvoiceLineItem,
  DscoItemInventory,
  DscoWarehouseQuantity,
  OpenBody,
} from './bodies.js';
export { dscoOrderSchema } from './schemas.js';
export { readDscoOrder, DSCO_ORDER_TEXT_FIELDS } from './order-reader.js';
export type { DscoOrderTextFields, DscoLineItemFields, DscoShippingFields } from './order-reader.js';
export type { DscoOrder, DscoLineItem, DscoShipping, DscoAsyncAccepted, DscoInvoiceRecord, DscoChangeLog } from './schemas.js';
export * from './change-logs.js';
export { dscoWarehouseSchema } from './warehouses.js';
export type { DscoWarehouse } from './warehouses.js';
export { dscoItemInventorySchema, quantitiesByWarehouse } from './inventory-read.js';
export type { DscoItemInventoryRead } from './inventory-read.js';
