export { migrate, MIGRATIONS_DIR } from './migrate.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';

export { makeStore, makePool, DEFAULT_LOCK_POOL_MAX } from './make-store.js';
export type { Store, MakeStoreOptions, PoolOptions } from './make-store.js';

export { ORDER_STATUS, ORDER_STATUSES, isOrderStatus, ATTENTION } from './database.js';
export { STATUS_NAMES, TASK_OF_STATUS, describeStatus, statusOfTask } from './status-names.js';
export type { StatusTaskName } from './status-names.js';
export type {
  Database,
  DscoOrderSyncTable,
  DscoWarehouseSyncTable,
  RuntimeConfigTable,
  JsonValue,
  JsonColumn,
  OrderRow,
  OrderStatus,
  WarehouseSyncRow,
  NewWarehouseSyncRow,
  RuntimeConfigRow,
  OrderAttentionKind,
  WriteState,
  WriteRow,
  DscoWriteTable,
  SyncWatermarkTable,
} from './database.js';

export { makeOrdersRepository } from './orders-repository.js';
export type {
  OrdersRepository,
  OrdersRepositoryOptions,
  ListByStatusOptions,
  ListStuckOptions,
  ListDueOptions,
  SkipRecord,
  OrderSearch,
  OrderSearchPage,
} from './orders-repository.js';
export { upsertPulledOrders } from './orders-upsert.js';
export type { PulledOrderRow, PulledStatus, StatusChange, UpsertPulledResult, UpsertPulledOptions } from './orders-upsert.js';
export { PATCHABLE_ORDER_FIELDS, assertForwardTransition } from './order-status-rules.js';
export type { OrderPatch } from './order-status-rules.js';
export { encodeOrderCursor, decodeOrderCursor } from './order-cursor.js';
export type { OrderCursor } from './order-cursor.js';

export { makeWarehouseSyncRepository } from './warehouse-sync-repository.js';
export type {
  WarehouseSyncRepository,
  WarehouseSyncRepositoryOptions,
  WarehouseSyncRun,
} from './warehouse-sync-repository.js';

export { makeRuntimeConfigRepository } from './runtime-config-repository.js';
export type {
  RuntimeConfigRepository,
  RuntimeConfigRecord,
  SaveRuntimeConfigOptions,
} from './runtime-config-repository.js';

export {
  StoreError,
  InvalidTransitionError,
  InvalidPatchError,
  InvalidCursorError,
  RuntimeConfigConflictError,
} from './errors.js';
export * from './console-schema.js';
export * from './orders-query.js';
export * from './status-audit-repository.js';
export * from './attention-query.js';
export * from './write-records-query.js';
export * from './stock-query.js';
export { latestStockBySku, type LatestStock } from './stock-live-query.js';

export { makeWritesRepository, hashWriteBody, OPEN_WRITE_STATES } from './writes-repository.js';
export type { WritesRepository, NewWrite, WriteOutcome, ListOpenWritesOptions } from './writes-repository.js';
export { makeWatermarksRepository, DSCO_ORDERS_STREAM } from './watermarks-repository.js';
export type { WatermarksRepository } from './watermarks-repository.js';
export { DEFAULT_BACKOFF, backoffSeconds, resolveBackoff } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { findUnstorableText } from './storable-text.js';
export * from './write-settlement-queries.js';
export { utcDayRange } from './inventory-diff.js';
export type { InventoryDiffPage, InventoryDiffQuery } from './inventory-diff.js';
