import { hashWriteBody } from '../src/index.js';
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

  it('refuses a state outside the check constraint at the database', async () => {
    const w = await fx.store.writes.record({ kind: 'acknowledge', body: {} });
    await expect(fx.store.pool.query(`UPDATE dsco_write SET state = 'done' WHERE id = $1`, [w.id])).rejects.toThrow(/check constraint/);
  });
});
