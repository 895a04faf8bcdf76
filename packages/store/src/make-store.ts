import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { makeOrdersRepository, type OrdersRepository } from './orders-repository.js';
import { makeRuntimeConfigRepository, type RuntimeConfigRepository } from './runtime-config-repository.js';
import { makeWarehouseSyncRepository, type WarehouseSyncRepository } from './warehouse-sync-repository.js';

export interface PoolOptions {
  databaseUrl: string;
  /** Most connections the pool opens. (Default: 10) */
  poolMax?: number;
  /** An idle connection is closed after this long. (Default: 30000) */
  idleTimeoutMs?: number;
  /** Shown in pg_stat_activity. (Default: 'dlsync') */
  applicationName?: string;
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
    types: typesWithInt8AsNumber,
  });
  pool.on('error', options.onPoolError ?? (() => undefined));
  return pool;
}

export interface Store {
  db: Kysely<Database>;
  /** The pool behind `db`; the runner checks out a dedicated connection for its advisory lock. */
  pool: pg.Pool;
  orders: OrdersRepository;
  warehouseSync: WarehouseSyncRepository;
  runtimeConfig: RuntimeConfigRepository;
  /** Ends the pool; waits for checked-out connections to be released. */
  close(): Promise<void>;
}

export type MakeStoreOptions = PoolOptions;

/** Opens the dlsync database: one pool, one Kysely instance, one repository per aggregate. */
export function makeStore(options: MakeStoreOptions): Store {
  const pool = makePool(options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    orders: makeOrdersRepository(db),
    warehouseSync: makeWarehouseSyncRepository(db),
    runtimeConfig: makeRuntimeConfigRepository(db),
    close: () => (closing ??= db.destroy()),
  };
}
