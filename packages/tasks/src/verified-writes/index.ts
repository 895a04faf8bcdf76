export { makeVerifiedWrites } from './verified-writes.js';
export type { VerifiedWrites } from './verified-writes.js';
export type { SentWrite } from './record-write.js';
export { ACK_KIND, SHIPMENT_KIND, INVOICE_KIND, INVENTORY_KIND } from './kinds.js';
export type { WriteKind, WriteKindBase, WriteKindSpec } from './kinds.js';
export { resolveWriteOptions } from './engine-types.js';
export type { VerifiedWriteDeps, VerifiedWriteOptions, WriteHandlers, SettledItem, HeldItem, SettleTally } from './engine-types.js';
export { itemHash, applyEntries, writeStateOf, describeMessages } from './item-outcome.js';
export { withEarlierSettling } from './alongside.js';
