export { migrate, MIGRATIONS_DIR } from './migrate.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';

export { makeStore, makePool } from './make-store.js';
export type { Store, MakeStoreOptions, PoolOptions } from './make-store.js';

export { ORDER_STATUS, ORDER_STATUSES, isOrderStatus } from './database.js';
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
} from './database.js';

export { makeOrdersRepository } from './orders-repository.js';
export type {
  OrdersRepository,
  OrdersRepositoryOptions,
  ListByStatusOptions,
  ListStuckOptions,
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
