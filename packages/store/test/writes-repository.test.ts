import { hashWriteBody, itemFailureHistory, listOpenWritesOfKind, openWriteKeys, openWriteStates, type WriteItemResult } from '../src/index.js';
import { useStore } from './fixtures.js';

const fx = useStore();

describe('writes repository', () => {
  it('records a write as sending with the hash of its body', async () => {
    const body = [{ id: 'PO-1', type: 'PO_NUMBER' }];
    const w = await fx.store.writes.record({ kind: 'acknowledge', poNumbers: ['PO-1'], body });
    expect(w).toMatchObject({ kind: 'acknowledge', po_numbers: ['PO-1'], skus: [], state: 'sending', attempt: 1, request_id: null, settled_at: null, body });
    expect(w.body_hash).toBe(hashWriteBody(body));
    expect(hashWriteBody([{ id: 'PO-2', type: 'PO_NUMBER' }])).not.toBe(w.body_hash);
  });

  it('settles sending → pending → success, stamping settled_at only at the end; a final state never changes', async () => {
    const w = await fx.store.writes.record({ kind: 'invoice', poNumbers: ['PO-1'], body: { invoiceId: 'PO-1' } });
    expect(await fx.store.writes.settle(w.id, { state: 'pending', requestId: 'req-1' })).toBe(true);
    let [row] = await fx.store.writes.listByPo('PO-1');
    expect(row).toMatchObject({ state: 'pending', request_id: 'req-1', settled_at: null });

    expect(await fx.store.writes.settle(w.id, { state: 'success', results: [{ status: 'SUCCESS' }] })).toBe(true);
    [row] = await fx.store.writes.listByPo('PO-1');
    expect(row).toMatchObject({ state: 'success', request_id: 'req-1', results: [{ status: 'SUCCESS' }] });
    expect(row!.settled_at).toBeInstanceOf(Date);

    expect(await fx.store.writes.settle(w.id, { state: 'failure', error: 'late' })).toBe(false);
    [row] = await fx.store.writes.listByPo('PO-1');
    expect(row).toMatchObject({ state: 'success', error: null });
  });

  it('lists the writes of a PO newest first and the open ones oldest first', async () => {
    const a = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-1', 'PO-2'], body: { n: 1 } });
    const b = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-2'], body: { n: 2 }, attempt: 2 });
    const c = await fx.store.writes.record({ kind: 'inventory', skus: ['SKU-1'], body: { n: 3 } });
    await fx.store.writes.settle(b.id, { state: 'in_doubt', error: 'timeout' });
    await fx.store.writes.settle(a.id, { state: 'failure', error: 'refused' });

    expect((await fx.store.writes.listByPo('PO-2')).map((w) => w.id)).toEqual([b.id, a.id]);
    expect((await fx.store.writes.listByPo('PO-3')).length).toBe(0);
    expect((await fx.store.writes.listOpen()).map((w) => [w.id, w.state])).toEqual([
      [b.id, 'in_doubt'],
      [c.id, 'sending'],
    ]);
    expect((await fx.store.writes.listOpen({ kind: 'inventory' })).map((w) => w.id)).toEqual([c.id]);
  });

  it('lists only the asked-for open writes of a kind, and their states without bodies', async () => {
    const a = await fx.store.writes.record({ kind: 'invoice', poNumbers: ['PO-7'], body: { n: 1 } });
    const b = await fx.store.writes.record({ kind: 'invoice', poNumbers: ['PO-8'], body: { n: 2 } });
    const other = await fx.store.writes.record({ kind: 'acknowledge', poNumbers: ['PO-7'], body: { n: 3 } });
    await fx.store.writes.settle(b.id, { state: 'pending', requestId: 'req-b' });
    const settled = await fx.store.writes.record({ kind: 'invoice', poNumbers: ['PO-9'], body: { n: 4 } });
    await fx.store.writes.settle(settled.id, { state: 'success' });

    const ids = [a.id, b.id, other.id, settled.id];
    expect((await listOpenWritesOfKind(fx.store.db, 'invoice', { ids: [b.id, other.id, settled.id] })).map((w) => [w.id, w.body])).toEqual([[b.id, { n: 2 }]]);
    expect(await openWriteStates(fx.store.db, 'invoice', ids)).toEqual([
      { id: a.id, state: 'sending' },
      { id: b.id, state: 'pending' },
    ]);
    expect(await openWriteStates(fx.store.db, 'invoice', [])).toEqual([]);
  });

  it('refuses a state outside the check constraint at the database', async () => {
    const w = await fx.store.writes.record({ kind: 'acknowledge', body: {} });
    await expect(fx.store.pool.query(`UPDATE dsco_write SET state = 'done' WHERE id = $1`, [w.id])).rejects.toThrow(/check constraint/);
  });

  it('finds the keys of open writes and the failure history of unchanged items', async () => {
    const settled = (key: string, status: WriteItemResult['status'], hash = `h-${key}`): Record<string, string> => ({ key, hash, status, ...(status === 'failure' && { reason: `bad ${key}` }) });
    const a = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-1', 'PO-2'], body: { n: 1 } });
    await fx.store.writes.settle(a.id, { state: 'success', results: [settled('PO-1', 'failure'), settled('PO-2', 'success')] });
    const b = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-1'], body: { n: 2 } });
    await fx.store.writes.settle(b.id, { state: 'failure', results: [settled('PO-1', 'failure')] });
    const c = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-1'], body: { n: 3 } });
    await fx.store.writes.settle(c.id, { state: 'failure', results: [settled('PO-1', 'failure', 'h-changed')] });
    // Another kind, an open write and a write whose results are not a list do not count.
    const d = await fx.store.writes.record({ kind: 'invoice', poNumbers: ['PO-1'], body: { n: 4 } });
    await fx.store.writes.settle(d.id, { state: 'failure', results: [settled('PO-1', 'failure')] });
    const e = await fx.store.writes.record({ kind: 'shipment', poNumbers: ['PO-3', 'PO-4'], body: { n: 5 } });
    await fx.store.writes.settle(e.id, { state: 'pending', requestId: 'r-5' });
    await fx.store.pool.query(`UPDATE dsco_write SET results = '{"status":"failure"}' WHERE id = $1`, [d.id]);

    const history = await itemFailureHistory(fx.store.db, 'shipment', ['PO-1', 'PO-2', 'PO-3']);
    expect(history.map(({ key, hash, failures, lastReason }) => ({ key, hash, failures, lastReason })).sort((x, y) => x.hash.localeCompare(y.hash))).toEqual([
      { key: 'PO-1', hash: 'h-changed', failures: 1, lastReason: 'bad PO-1' },
      { key: 'PO-1', hash: 'h-PO-1', failures: 2, lastReason: 'bad PO-1' },
    ]);
    expect(await itemFailureHistory(fx.store.db, 'invoice', ['PO-1'])).toEqual([]);
    expect([...(await openWriteKeys(fx.store.db, 'shipment', ['PO-1', 'PO-4', 'PO-9']))]).toEqual(['PO-4']);
  });

  it('reads only writes with a failed item for the history once many writes have been sent', async () => {
    // 300 settled writes of 1,000 POs, one of them with a failed item: the plan must take the
    // partial index instead of reading every write (the cost that grew with the history).
    await fx.store.pool.query(`
      INSERT INTO dsco_write (kind, po_numbers, body_hash, state, results, settled_at)
      SELECT 'acknowledge', array_agg('PO-' || (w * 1000 + i)), 'h', 'success',
             jsonb_agg(jsonb_build_object('key', 'PO-' || (w * 1000 + i), 'hash', 'h', 'status', CASE WHEN w = 7 AND i = 3 THEN 'failure' ELSE 'success' END)), now()
      FROM generate_series(0, 299) w, generate_series(0, 999) i GROUP BY w`);
    await fx.store.pool.query('ANALYZE dsco_write');
    const keys = Array.from({ length: 1000 }, (_, i) => `PO-${7000 + i}`);
    expect(await itemFailureHistory(fx.store.db, 'acknowledge', keys)).toMatchObject([{ key: 'PO-7003', failures: 1 }]);
    const client = await fx.store.pool.connect();
    try {
      // The query text of itemFailureHistory, as the planner sees it.
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT 1 FROM dsco_write w WHERE w.kind = $1 AND w.results @> '[{"status":"failure"}]'`,
        ['acknowledge'],
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('dsco_write_failed_items_idx');
    } finally {
      client.release();
    }
  });
});
