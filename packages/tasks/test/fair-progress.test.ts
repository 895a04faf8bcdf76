import { useTaskHarness } from './harness.js';

const h = useTaskHarness();

const H = 3600 * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

beforeEach(async () => {
  h.sandbox.reset();
  await h.store.pool.query('TRUNCATE dsco_order_sync, sync_watermark');
});

describe('fair progress', () => {
  it('with size 2 and two permanently unpushable old rows, a newer good order is pushed in the next run', async () => {
    // The mapping is saved before the bad orders' retailer exists, so it stays unmapped.
    await h.setConfig({ jobs: { push_to_lingxing: { size: 2 } } });
    const w = h.sandbox.world;
    const bad = [3, 2].map((hours) => w.addOrder({ dscoRetailerId: 'R-UNMAPPED', dscoCreateDate: iso(Date.now() - hours * H) }).order.poNumber);
    // No mapped warehouse: Lingxing picks one (keeps the test about picking, not warehouse rules).
    const good = w.addOrder({ dscoCreateDate: iso(Date.now() - H), shipWarehouseCode: 'WH-ANY' }).order.poNumber;
    await h.run('pull_dsco_orders', { trigger: 'schedule' });

    const first = await h.run('push_to_lingxing', { trigger: 'schedule' });
    expect(first.counts).toEqual({ ok: 0, skipped: 2, failed: 0 });
    for (const po of bad) {
      const row = await h.store.orders.getByPo(po);
      expect(row).toMatchObject({ status: 1, attempts: 1, last_error: 'no store mapping for retailer R-UNMAPPED' });
      expect(row!.next_attempt_at!.getTime()).toBeGreaterThan(Date.now());
    }

    const second = await h.run('push_to_lingxing', { trigger: 'schedule' });
    expect(second.items.map((i) => [i.po_number, i.result])).toEqual([[good, 'ok']]);
    expect((await h.store.orders.getByPo(good))?.status).toBe(2);
    // The backed-off rows were not tried again.
    for (const po of bad) expect((await h.store.orders.getByPo(po))?.attempts).toBe(1);

    // An operator's run tries them now, backoff or not.
    const manual = await h.run('push_to_lingxing', { trigger: 'manual' });
    expect(manual.items.map((i) => i.po_number).sort()).toEqual([...bad].sort());
    for (const po of bad) expect((await h.store.orders.getByPo(po))?.attempts).toBe(2);
  }, 30_000);
});
