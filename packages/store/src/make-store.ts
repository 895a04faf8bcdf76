import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { BackoffPolicy } from './backoff.js';
import { makeOrdersRepository, type OrdersRepository } from './orders-repository.js';
import { makeRuntimeConfigRepository, type RuntimeConfigRepository } from './runtime-config-repository.js';
import { makeWarehouseSyncRepository, type WarehouseSyncRepository } from './warehouse-sync-repository.js';
import { makeWatermarksRepository, type WatermarksRepository } from './watermarks-repository.js';
import { makeWritesRepository, type WritesRepository } from './writes-repository.js';

export interface PoolOptions {
  databaseUrl: string;
  /** Most connections the pool opens. (Default: 10) */
  poolMax?: number;
  /** An idle connection is closed after this long. (Default: 30000) */
  idleTimeoutMs?: number;
  /** Shown in pg_stat_activity. (Default: 'dlsync') */
  applicationName?: string;
  /**
   * How long a query waits for a connection (a free pool slot, then the TCP/auth handshake)
   * before it fails, so an exhausted pool or an unreachable database fails the run instead of
   * hanging it. (Default: 30000)
   */
  connectionTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (e.g. Postgres restarted). The pool drops that
   * connection and the next query reconnects; without a listener pg would crash the process.
   * (Default: ignore)
   */
  onPoolError?: (err: Error) => void;
}

const INT8_OID = 20;

/**
 * int8 comes back as a JS number instead of pg's default string. Every int8 here fits: epoch
 * seconds (dsco_create_time), bigserial ids and counts are far below 2^53.
 */
const typesWithInt8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** A pg pool with the type parsing the repositories expect, scoped to this pool only. */
export function makePool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    application_name: options.applicationName ?? 'dlsync',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 30_000,
    types: typesWithInt8AsNumber,
  });
  pool.on('error', options.onPoolError ?? (() => undefined));
  return pool;
}

export interface Store {
  db: Kysely<Database>;
  /** The pool behind `db`, for the tasks' queries. */
  pool: pg.Pool;
  /**
   * A separate small pool for the runner's advisory-lock connections (one held per run), so
   * held locks can never take the connections the tasks' own queries need.
   */
  lockPool: pg.Pool;
  orders: OrdersRepository;
  warehouseSync: WarehouseSyncRepository;
  runtimeConfig: RuntimeConfigRepository;
  watermarks: WatermarksRepository;
  writes: WritesRepository;
  /** Ends both pools; waits for checked-out connections to be released. */
  close(): Promise<void>;
}

export interface MakeStoreOptions extends PoolOptions {
  /**
   * Connections of the lock pool: runs of different tasks that can hold a lock at once in this
   * process. A run that finds none free within connectionTimeoutMs reports `failed`.
   * (Default: 8, one per task)
   */
  lockPoolMax?: number;
  /** When a skipped row is due again. (Default: 60 s doubling up to 1 h) */
  backoff?: BackoffPolicy;
}

/** Default lock pool size: one per task, since each task's runs share one lock. */
export const DEFAULT_LOCK_POOL_MAX = 8;

/** Opens the dlsync database: one pool, one Kysely instance, one repository per aggregate. */
export function makeStore(options: MakeStoreOptions): Store {
  const pool = makePool(options);
  const lockPool = makePool({
    ...options,
    poolMax: options.lockPoolMax ?? DEFAULT_LOCK_POOL_MAX,
    applicationName: `${options.applicationName ?? 'dlsync'}:lock`,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    lockPool,
    orders: makeOrdersRepository(db, options.backoff ? { backoff: options.backoff } : {}),
    warehouseSync: makeWarehouseSyncRepository(db),
    runtimeConfig: makeRuntimeConfigRepository(db),
    watermarks: makeWatermarksRepository(db),
    writes: makeWritesRepository(db),
    close: () => (closing ??= Promise.all([db.destroy(), lockPool.end()]).then(() => undefined)),
  };
}
