import { sql } from 'kysely';
import { type OrderStatus, type PulledStatus } from '../src/index.js';
import { forceStatus, pulledOrder, waitForLockWaiter, useStore } from './fixtures.js';

const fx = useStore({ poolMax: 4 });

async function updatedAtMicros(po: string): Promise<bigint> {
  const { rows } = await sql<{ us: string }>`
    SELECT (extract(epoch FROM updated_at) * 1000000)::bigint::text AS us
    FROM dsco_order_sync WHERE po_number = ${po}`.execute(fx.store.db);
  return BigInt(rows[0]!.us);
}

describe('orders.upsertPulled', () => {
  it('inserts new POs at their pulled status', async () => {
    const result = await fx.store.orders.upsertPulled([
      pulledOrder('N-1', { pulledStatus: 1 }),
      pulledOrder('N-5', { pulledStatus: 5 }),
      pulledOrder('N-6', { pulledStatus: 6 }),
    ]);
    expect(result).toEqual({ inserted: 3, updated: 0, unchanged: 0, statusChanged: [], rejected: [], flagged: [] });
    const rows = await fx.store.orders.getByPos(['N-1', 'N-5', 'N-6']);
    expect(rows.map((r) => [r.po_number, r.status])).toEqual([
      ['N-1', 1],
      ['N-5', 5],
      ['N-6', 6],
    ]);
    expect(rows[0]).toMatchObject({
      dsco_order_id: 'id-N-1',
      dsco_create_time: 1_750_000_000,
      mskus: 'SKU-A(1)',
      payload: { poNumber: 'N-1', dscoStatus: 'created', lineItems: [{ partnerSku: 'SKU-A', quantity: 1 }] },
    });
  });

  // SPEC §6: cancelled → 6 unless already 5; shipped → 5 only from 1 or 2; else unchanged.
  const expected: Record<OrderStatus, Record<PulledStatus, OrderStatus>> = {
    1: { 1: 1, 5: 5, 6: 6 },
    2: { 1: 2, 5: 5, 6: 6 },
    3: { 1: 3, 5: 3, 6: 6 },
    4: { 1: 4, 5: 4, 6: 6 },
    5: { 1: 5, 5: 5, 6: 5 },
    6: { 1: 6, 5: 6, 6: 6 },
  };
  const cases = ([1, 2, 3, 4, 5, 6] as const).flatMap((existing) =>
    ([1, 5, 6] as const).map((incoming) => ({ existing, incoming, want: expected[existing][incoming] })),
  );

  it.each(cases)('re-pull of a row at $existing with pulled status $incoming leaves it at $want', async ({ existing, incoming, want }) => {
    const po = `M-${existing}-${incoming}`;
    await fx.store.orders.upsertPulled([pulledOrder(po)]);
    await forceStatus(fx.store.db, po, existing);

    const result = await fx.store.orders.upsertPulled([pulledOrder(po, { pulledStatus: incoming })]);

    expect((await fx.store.orders.getByPo(po))?.status).toBe(want);
    expect(result.inserted).toBe(0);
    if (want === existing) {
      expect(result).toMatchObject({ updated: 0, unchanged: 1, statusChanged: [], rejected: [], flagged: [] });
    } else {
      expect(result).toMatchObject({ updated: 1, unchanged: 0, statusChanged: [{ po_number: po, from: existing, to: want }] });
    }
  });

  it('refreshes payload and derived columns but never the task-owned fields', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('R-1')]);
    await fx.store.orders.transition('R-1', 1, 2, { lingxing_order_nos: 'LX1,LX2' });
    await fx.store.orders.transition('R-1', 2, 3, { shipped_tracking_no: '1Z999' });
    await fx.store.orders.patch('R-1', 3, { dsco_invoice_id: 'INV-1' });
    const before = await fx.store.orders.getByPo('R-1');
    const updatedBefore = await updatedAtMicros('R-1');

    const result = await fx.store.orders.upsertPulled([
      pulledOrder('R-1', {
        dsco_status: 'shipment_pending',
        mskus: 'SKU-A(1),SKU-B(2)',
        warehouse_id: 'WH2',
        payload: { poNumber: 'R-1', dscoStatus: 'shipment_pending' },
      }),
    ]);

    const after = await fx.store.orders.getByPo('R-1');
    expect(result).toEqual({ inserted: 0, updated: 1, unchanged: 0, statusChanged: [], rejected: [], flagged: [{ po_number: 'R-1', detail: 'lines' }] });
    expect(after).toMatchObject({
      status: 3,
      dsco_status: 'shipment_pending',
      mskus: 'SKU-A(1),SKU-B(2)',
      warehouse_id: 'WH2',
      payload: { poNumber: 'R-1', dscoStatus: 'shipment_pending' },
      lingxing_order_nos: 'LX1,LX2',
      shipped_tracking_no: '1Z999',
      dsco_invoice_id: 'INV-1',
      created_at: before?.created_at,
    });
    // A JS Date keeps milliseconds and two statements can share one; Postgres keeps micros.
    expect(await updatedAtMicros('R-1')).toBeGreaterThan(updatedBefore);
  });

  it('leaves identical re-pulls untouched: updated_at unchanged, reported unchanged', async () => {
    const rows = [pulledOrder('U-1'), pulledOrder('U-2', { pulledStatus: 5 }), pulledOrder('U-3', { pulledStatus: 6 })];
    await fx.store.orders.upsertPulled(rows);
    const before = await fx.store.orders.getByPos(['U-1', 'U-2', 'U-3']);

    const again = await fx.store.orders.upsertPulled(rows);

    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 3, statusChanged: [], rejected: [], flagged: [] });
    expect(await fx.store.orders.getByPos(['U-1', 'U-2', 'U-3'])).toEqual(before);
  });

  it('compares payloads as JSON values, so key order alone is no change', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('K-1', { payload: { a: 1, b: [1, 2] } })]);
    const result = await fx.store.orders.upsertPulled([pulledOrder('K-1', { payload: { b: [1, 2], a: 1 } })]);
    expect(result.unchanged).toBe(1);
  });

  it('stores payloads as JSON exactly, including arrays and escape-heavy strings', async () => {
    const payload = [{ note: 'quote " backslash \\ comma , brace } NULL', n: null }, 'NULL', 1.5, true];
    await fx.store.orders.upsertPulled([pulledOrder('J-1', { payload })]);
    expect((await fx.store.orders.getByPo('J-1'))?.payload).toEqual(payload);
  });

  it('writes a PO listed twice in one call once, last occurrence winning', async () => {
    const result = await fx.store.orders.upsertPulled([
      pulledOrder('D-1', { mskus: 'first(1)' }),
      pulledOrder('D-2'),
      pulledOrder('D-1', { mskus: 'second(1)' }),
    ]);
    expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0, statusChanged: [], rejected: [], flagged: [] });
    expect((await fx.store.orders.getByPo('D-1'))?.mskus).toBe('second(1)');
  });

  it('rejects malformed rows before writing anything', async () => {
    const bad = [pulledOrder('B-1'), pulledOrder('B-2', { pulledStatus: 2 as PulledStatus })];
    await expect(fx.store.orders.upsertPulled(bad)).rejects.toThrow(/B-2: pulledStatus must be 1, 5 or 6/);
    await expect(fx.store.orders.upsertPulled([pulledOrder('B-3', { dsco_create_time: 1.5 })])).rejects.toThrow(
      /dsco_create_time must be integer/,
    );
    await expect(fx.store.orders.upsertPulled([pulledOrder('B-4'), pulledOrder('B-5', { payload: undefined })])).rejects.toThrow(
      /B-5: payload is not JSON-serializable/,
    );
    expect(await fx.store.orders.getByPos(['B-1', 'B-2', 'B-3', 'B-4', 'B-5'])).toEqual([]);
  });

  it('applies the status rule to the status a concurrent transition committed', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('C-1')]);
    const other = await fx.store.pool.connect();
    try {
      // Another worker holds the row mid-transition (1 → 3 would be two tasks; one UPDATE stands in).
      await other.query('BEGIN');
      await other.query(`UPDATE dsco_order_sync SET status = 3 WHERE po_number = 'C-1' AND status = 1`);
      const pulling = fx.store.orders.upsertPulled([pulledOrder('C-1', { pulledStatus: 5 })]);
      await waitForLockWaiter(fx.store.db);
      await other.query('COMMIT');

      // Had pull used the status it saw before the lock (1), shipped would have jumped it to 5.
      expect(await pulling).toEqual({ inserted: 0, updated: 0, unchanged: 1, statusChanged: [], rejected: [], flagged: [] });
      expect((await fx.store.orders.getByPo('C-1'))?.status).toBe(3);
    } finally {
      other.release();
    }
  });

  it('upserts 5,000 orders in batches and a re-run changes nothing', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      pulledOrder(`BULK-${String(i).padStart(5, '0')}`, {
        dsco_create_time: 1_750_000_000 + i,
        pulledStatus: i % 10 === 0 ? 5 : 1,
        payload: { poNumber: `BULK-${String(i).padStart(5, '0')}`, i },
      }),
    );

    expect(await fx.store.orders.upsertPulled(rows)).toEqual({ inserted: 5000, updated: 0, unchanged: 0, statusChanged: [], rejected: [], flagged: [] });
    expect(await fx.store.orders.countByStatus()).toEqual({ 1: 4500, 2: 0, 3: 0, 4: 0, 5: 500, 6: 0 });
    // Payloads travel apart from the other columns (one JSON array): each must land on its own PO.
    const { rows: mismatched } = await fx.store.pool.query(
      `SELECT po_number FROM dsco_order_sync WHERE po_number LIKE 'BULK-%' AND (payload->>'poNumber' IS DISTINCT FROM po_number OR dsco_create_time <> 1750000000 + (payload->>'i')::int)`,
    );
    expect(mismatched).toEqual([]);

    expect(await fx.store.orders.upsertPulled(rows)).toEqual({ inserted: 0, updated: 0, unchanged: 5000, statusChanged: [], rejected: [], flagged: [] });
    expect(await fx.store.orders.maxCreateTime()).toBe(1_750_004_999);
  }, 120_000);
});
