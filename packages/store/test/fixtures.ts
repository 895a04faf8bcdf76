import { sql, type Kysely } from 'kysely';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeStore, type Database, type MakeStoreOptions, type OrderStatus, type PulledOrderRow, type Store } from '../src/index.js';

/** A pulled order with plausible derived columns; `overrides` win. */
export function pulledOrder(po: string, overrides: Partial<PulledOrderRow> = {}): PulledOrderRow {
  return {
    po_number: po,
    dsco_order_id: `id-${po}`,
    dsco_retailer_id: '1001',
    dsco_status: 'created',
    dsco_create_time: 1_750_000_000,
    mskus: 'SKU-A(1)',
    warehouse_id: 'WH1',
    shipment: 'GROUND',
    payload: { poNumber: po, dscoStatus: 'created', lineItems: [{ partnerSku: 'SKU-A', quantity: 1 }] },
    pulledStatus: 1,
    ...overrides,
  };
}

/** Puts a row at any status, bypassing the state machine (test setup only). */
export async function forceStatus(db: Kysely<Database>, po: string, status: OrderStatus): Promise<void> {
  await db.updateTable('dsco_order_sync').set({ status }).where('po_number', '=', po).execute();
}

export async function truncateAll(db: Kysely<Database>): Promise<void> {
  await sql`TRUNCATE dsco_order_sync, dsco_warehouse_sync, runtime_config, sync_watermark, dsco_write`.execute(db);
}

/** Resolves once some other session is waiting on a row lock (so a race is set up, not hoped for). */
export async function waitForLockWaiter(db: Kysely<Database>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no session started waiting for a lock');
}

/**
 * A store on the test file's own database (useTestEnv), emptied before every test and closed
 * after the file; read `fx.store` inside tests and hooks. (Default options: poolMax 3)
 */
export function useStore(options: Omit<MakeStoreOptions, 'databaseUrl'> = {}): { readonly store: Store } {
  const env = useTestEnv();
  let store: Store | undefined;
  beforeAll(() => {
    store = makeStore({ poolMax: 3, ...options, databaseUrl: env.databaseUrl });
  });
  afterAll(() => store?.close());
  beforeEach(() => truncateAll(fx.store.db));
  const fx = {
    get store(): Store {
      if (!store) throw new Error('useStore: the store exists from beforeAll on');
      return store;
    },
  };
  return fx;
}
