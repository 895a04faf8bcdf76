import { sql } from 'kysely';
import { useTestEnv } from '@dlsync/infra/testing';
import {
  clearBackoff,
  countAttention,
  countWritesByState,
  countOrdersByStatus,
  InvalidCursorError,
  InvalidManualStatusError,
  listAttention,
  listWritesForPo,
  makeStatusAuditRepository,
  makeStore,
  queryOrders,
  queryStock,
  streamOrders,
  streamStock,
  type OrderFilter,
  type OrderStatus,
  type Store,
} from '../src/index.js';
import { forceStatus, pulledOrder, truncateAll } from './fixtures.js';

const env = useTestEnv();
let store: Store;

beforeAll(() => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
});
afterAll(() => store.close());
beforeEach(async () => {
  await truncateAll(store.db);
  await sql`TRUNCATE order_status_audit, dsco_write`.execute(store.db);
});

/** 30 orders: create time increasing with i, two retailers, three warehouses, statuses cycling 1..6. */
async function seed(): Promise<void> {
  await store.orders.upsertPulled(
    Array.from({ length: 30 }, (_, i) =>
      pulledOrder(`PO-${String(i).padStart(3, '0')}`, {
        dsco_create_time: 1_750_000_000 + i * 60,
        dsco_retailer_id: i % 2 === 0 ? 'R-EVEN' : 'R-ODD',
        warehouse_id: `WH${i % 3}`,
        shipment: i % 5 === 0 ? 'EXPRESS' : 'GROUND',
        mskus: `SKU-${i % 4}(1),COMMON_X(2)`,
        dsco_status: i % 7 === 0 ? 'shipped' : 'created',
      }),
    ),
  );
  for (let i = 0; i < 30; i++) {
    const status = ((i % 6) + 1) as OrderStatus;
    if (status !== 1) await forceStatus(store.db, `PO-${String(i).padStart(3, '0')}`, status);
  }
  await sql`UPDATE dsco_order_sync SET shipped_tracking_no = 'TRK-' || po_number, dsco_invoice_id = 'INV-' || po_number WHERE status >= 4`.execute(store.db);
}

async function all(filter: OrderFilter, limit = 4): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const page = await queryOrders(store.db, filter, { limit, ...(after ? { after } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    for (const item of page.items) expect(item).not.toHaveProperty('payload');
    seen.push(...page.items.map((r) => r.po_number));
    after = page.nextCursor ?? undefined;
  } while (after);
  return seen;
}

const po = (i: number) => `PO-${String(i).padStart(3, '0')}`;
const matching = (pred: (i: number) => boolean) => Array.from({ length: 30 }, (_, i) => i).filter(pred).reverse().map(po);

describe('queryOrders', () => {
  beforeEach(seed);

  it('pages newest first through every matching row exactly once', async () => {
    expect(await all({})).toEqual(matching(() => true));
    expect(await all({}, 100)).toEqual(matching(() => true));
  });

  it('applies each filter, and all of them together', async () => {
    expect(await all({ poContains: '01' })).toEqual(matching((i) => po(i).includes('01')));
    expect(await all({ retailer: 'R-ODD' })).toEqual(matching((i) => i % 2 === 1));
    expect(await all({ warehouse: 'WH2' })).toEqual(matching((i) => i % 3 === 2));
    expect(await all({ shipment: 'EXPRESS' })).toEqual(matching((i) => i % 5 === 0));
    expect(await all({ sku: 'SKU-3(' })).toEqual(matching((i) => i % 4 === 3));
    expect(await all({ dscoStatus: 'shipped' })).toEqual(matching((i) => i % 7 === 0));
    expect(await all({ statuses: [2, 5] })).toEqual(matching((i) => i % 6 === 1 || i % 6 === 4));
    expect(await all({ tracking: 'TRK-PO-02' })).toEqual(matching((i) => i >= 20 && i % 6 >= 3));
    expect(await all({ invoiceId: 'INV-PO-003' })).toEqual(['PO-003']);
    expect(await all({ createdFrom: 1_750_000_000 + 10 * 60, createdTo: 1_750_000_000 + 15 * 60 })).toEqual(matching((i) => i >= 10 && i < 15));
    expect(await all({ retailer: 'R-EVEN', warehouse: 'WH0', statuses: [1] })).toEqual(matching((i) => i % 2 === 0 && i % 3 === 0 && i % 6 === 0));
  });

  it('treats LIKE wildcards in "contains" filters as plain characters', async () => {
    expect(await all({ sku: 'COMMON_X' })).toHaveLength(30);
    expect(await all({ sku: 'COMMON%X' })).toEqual([]);
    expect(await all({ poContains: '_' })).toEqual([]);
  });

  it('finds no order with an error when none was recorded', async () => {
    expect(await all({ hasError: true })).toEqual([]);
    expect(await all({ hasError: false })).toHaveLength(30);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(queryOrders(store.db, {}, { limit: 5, after: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('counts per status for the current filter', async () => {
    expect(await countOrdersByStatus(store.db, { retailer: 'R-EVEN' })).toEqual({ 1: 5, 2: 0, 3: 5, 4: 0, 5: 5, 6: 0 });
    expect(await countOrdersByStatus(store.db, { poContains: 'nothing' })).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 });
  });

  it('streams every matching row in batches, newest first', async () => {
    const batches: number[] = [];
    const seen: string[] = [];
    for await (const batch of streamOrders(store.db, { retailer: 'R-ODD' }, { batchSize: 4 })) {
      batches.push(batch.length);
      seen.push(...batch.map((r) => r.po_number));
    }
    expect(batches).toEqual([4, 4, 4, 3]);
    expect(seen).toEqual(matching((i) => i % 2 === 1));
  });
});

describe('status audit', () => {
  beforeEach(seed);
  const audit = () => makeStatusAuditRepository(store.db);

  it('moves the row and writes its audit line together', async () => {
    const result = await audit().changeStatus({ po: 'PO-002', from: 3, to: 1, reason: '  push again: Lingxing lost it ', actor: 'admin:alice' });
    expect(result).toMatchObject({ changed: true, audit: { po_number: 'PO-002', from_status: 3, to_status: 1, reason: 'push again: Lingxing lost it', actor: 'admin:alice' } });
    expect((await store.orders.getByPo('PO-002'))?.status).toBe(1);
    const history = await audit().listForPo('PO-002');
    expect(history.map((h) => [h.from_status, h.to_status, h.actor])).toEqual([[3, 1, 'admin:alice']]);
    expect(history[0]!.at).toBeInstanceOf(Date);
  });

  it('leaves a row that moved meanwhile alone, writes no audit line, and says where it is', async () => {
    expect(await audit().changeStatus({ po: 'PO-002', from: 2, to: 5, reason: 'x', actor: 'a' })).toEqual({ changed: false, current: 3 });
    expect(await audit().changeStatus({ po: 'NOPE', from: 2, to: 5, reason: 'x', actor: 'a' })).toEqual({ changed: false, current: null });
    expect((await store.orders.getByPo('PO-002'))?.status).toBe(3);
    expect(await audit().listForPo('PO-002')).toEqual([]);
  });

  it('refuses a change without reason, to 6, or to the same status, before touching the row', async () => {
    await expect(audit().changeStatus({ po: 'PO-002', from: 3, to: 5, reason: '   ', actor: 'a' })).rejects.toThrow(InvalidManualStatusError);
    await expect(audit().changeStatus({ po: 'PO-002', from: 3, to: 6, reason: 'r', actor: 'a' })).rejects.toThrow(/only by pull/);
    await expect(audit().changeStatus({ po: 'PO-002', from: 3, to: 3, reason: 'r', actor: 'a' })).rejects.toThrow(/already at 3/);
    expect((await store.orders.getByPo('PO-002'))?.status).toBe(3);
  });

  it('lets exactly one of two racing changes from the same status win', async () => {
    const results = await Promise.all([
      audit().changeStatus({ po: 'PO-002', from: 3, to: 4, reason: 'one', actor: 'a' }),
      audit().changeStatus({ po: 'PO-002', from: 3, to: 5, reason: 'two', actor: 'b' }),
    ]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await audit().listForPo('PO-002')).toHaveLength(1);
  });
});

describe('attention', () => {
  beforeEach(seed);
  const now = new Date('2026-01-10T12:00:00Z');
  const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3600_000);

  it('lists last errors, near or past deadlines of the next step, failing writes and raised flags', async () => {
    // PO-000 (status 1) has an error; PO-001 (2) is past its ack deadline; PO-002 (3) ships in
    // 5 h; PO-003 (4) invoices in 50 h (outside 24 h); PO-004 (5, done) is past a deadline but
    // has nothing left to do.
    await sql`UPDATE dsco_order_sync SET last_error = 'lingxing: sku unknown', last_error_at = ${hoursFromNow(-1)} WHERE po_number = 'PO-000'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET acknowledge_by = ${hoursFromNow(-2)} WHERE po_number = 'PO-001'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET ship_by = ${hoursFromNow(5)}, acknowledge_by = ${hoursFromNow(-100)} WHERE po_number = 'PO-002'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET invoice_by = ${hoursFromNow(50)} WHERE po_number = 'PO-003'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET ship_by = ${hoursFromNow(-5)} WHERE po_number = 'PO-004'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET attention = 'cancelled_after_shipped', attention_detail = 'shipped TRK-1, then cancelled', attention_at = ${now} WHERE po_number = 'PO-005'`.execute(store.db);
    await sql`UPDATE dsco_order_sync SET attention = 'changed_after_push', attention_at = ${now} WHERE po_number = 'PO-007'`.execute(store.db);
    await sql`INSERT INTO dsco_write (kind, po_numbers, body_hash, state, sent_at, request_id) VALUES
      ('ack', ARRAY['PO-008','PO-009'], 'h1', 'failure', ${hoursFromNow(-3)}, 'req-f'),
      ('ship', ARRAY['PO-010'], 'h2', 'pending', ${hoursFromNow(-2)}, 'req-p'),
      ('ship', ARRAY['PO-011'], 'h3', 'pending', ${new Date(now.getTime() - 5 * 60_000)}, 'req-fresh'),
      ('ship', ARRAY['PO-012'], 'h4', 'success', ${hoursFromNow(-3)}, 'req-ok'),
      ('ack', ARRAY['PO-013'], 'h5', 'failure', ${hoursFromNow(-6)}, 'req-old'),
      ('ack', ARRAY['PO-013'], 'h6', 'success', ${hoursFromNow(-5)}, 'req-new')`.execute(store.db);

    const rows = await listAttention(store.db, { now, withinHours: 24 });
    const byKind = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => [r.po_number, r.detail]);
    expect(byKind('last_error')).toEqual([['PO-000', 'lingxing: sku unknown']]);
    expect(byKind('deadline')).toEqual([
      ['PO-001', 'past acknowledge deadline'],
      ['PO-002', 'due ship deadline'],
    ]);
    expect(byKind('write')).toEqual([
      ['PO-008', 'write failure (ack, request req-f)'],
      ['PO-009', 'write failure (ack, request req-f)'],
      ['PO-010', 'write pending (ship, request req-p)'],
    ]);
    expect(byKind('cancelled_after_shipped')).toEqual([['PO-005', 'shipped TRK-1, then cancelled']]);
    expect(byKind('changed_after_push')).toEqual([['PO-007', 'changed_after_push']]);
    expect(await countAttention(store.db, { now, withinHours: 24 })).toEqual({
      last_error: 1,
      deadline: 2,
      write: 3,
      cancelled_after_shipped: 1,
      changed_after_push: 1,
      flagged: 0,
    });
    expect((await countAttention(store.db, { now, withinHours: 60 })).deadline).toBe(3);
    // Past deadlines only, and only the kinds asked for.
    expect(await countAttention(store.db, { now, withinHours: 0, kinds: ['deadline'] })).toMatchObject({ deadline: 1, last_error: 0, write: 0 });
    expect(await all({ hasError: true })).toEqual(['PO-000']);
  });

  it('retry now clears the backoff of the selected orders only', async () => {
    await sql`UPDATE dsco_order_sync SET next_attempt_at = ${hoursFromNow(1)}, attempts = 3 WHERE po_number IN ('PO-000', 'PO-001', 'PO-002')`.execute(store.db);
    expect(await clearBackoff(store.db, ['PO-000', 'PO-002', 'PO-003', 'NOPE'])).toEqual({ cleared: ['PO-000', 'PO-002'], supported: true });
    const { rows } = await sql<{ po_number: string; next_attempt_at: Date | null; attempts: number }>`
      SELECT po_number, next_attempt_at, attempts FROM dsco_order_sync WHERE po_number IN ('PO-000', 'PO-001', 'PO-002') ORDER BY po_number`.execute(store.db);
    expect(rows.map((r) => [r.po_number, r.next_attempt_at === null, r.attempts])).toEqual([
      ['PO-000', true, 3],
      ['PO-001', false, 3],
      ['PO-002', true, 3],
    ]);
  });

  it('lists the writes that carried a PO and counts writes per state', async () => {
    await sql`INSERT INTO dsco_write (kind, po_numbers, body_hash, state, sent_at, body) VALUES
      ('ack', ARRAY['PO-001','PO-002'], 'h1', 'success', ${hoursFromNow(-3)}, '{"a":1}'),
      ('ship', ARRAY['PO-001'], 'h2', 'in_doubt', ${hoursFromNow(-1)}, null)`.execute(store.db);
    expect((await listWritesForPo(store.db, 'PO-001')).map((w) => [w.kind, w.state])).toEqual([
      ['ship', 'in_doubt'],
      ['ack', 'success'],
    ]);
    expect(await listWritesForPo(store.db, 'PO-003')).toEqual([]);
    expect(await countWritesByState(store.db)).toEqual({ sending: 0, pending: 0, success: 1, failure: 0, in_doubt: 1 });
  });
});

describe('stock rows', () => {
  it('filters by SKU, warehouse and pushed, pages newest first and streams', async () => {
    await store.warehouseSync.insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        run_id: i < 6 ? 'run-a' : 'run-b',
        warehouse_code: `WC${i % 2}`,
        wid: `${i % 2}`,
        sku: `LX-${i}`,
        partner_sku: `P-${i % 3}`,
        quantity: i,
        pushed: i % 4 !== 0,
        dsco_request_id: null,
      })),
    );
    const page = await queryStock(store.db, { runId: 'run-b', warehouse: 'WC1' }, { limit: 2 });
    expect(page.items.map((r) => r.sku)).toEqual(['LX-11', 'LX-9']);
    const next = await queryStock(store.db, { runId: 'run-b', warehouse: 'WC1' }, { limit: 2, after: page.nextCursor! });
    expect(next.items.map((r) => r.sku)).toEqual(['LX-7']);
    expect(next.nextCursor).toBeNull();
    expect((await queryStock(store.db, { sku: 'P-2', pushed: false }, { limit: 50 })).items.map((r) => r.sku)).toEqual(['LX-8']);
    const streamed: string[] = [];
    for await (const batch of streamStock(store.db, { pushed: true }, { batchSize: 5 })) streamed.push(...batch.map((r) => r.sku));
    expect(streamed).toEqual(['LX-11', 'LX-10', 'LX-9', 'LX-7', 'LX-6', 'LX-5', 'LX-3', 'LX-2', 'LX-1']);
  });
});
