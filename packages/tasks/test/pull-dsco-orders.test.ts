import type { OrderRow } from '@dlsync/store';
import { parseDscoOrder } from '../src/rules/dsco-order.js';
import { inPullWindow, PULL_EPOCH, pullWindow, toPulledRow } from '../src/rules/pull-row.js';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();

const S = 1000;
/** A whole second an hour ago: every order around it is pullable (until = now − 5 s). */
const base = (): number => Math.floor(Date.now() / S) * S - 3600 * S;
const iso = (ms: number): string => new Date(ms).toISOString();

async function rows(): Promise<Map<string, OrderRow>> {
  const all = await h.store.db.selectFrom('dsco_order_sync').selectAll().execute();
  return new Map(all.map((r) => [r.po_number, r]));
}

beforeEach(async () => {
  h.sandbox.reset();
  await h.store.pool.query('TRUNCATE dsco_order_sync, sync_watermark');
  await h.setConfig();
});

describe('pull_dsco_orders rules', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('starts at the epoch for an empty table, else at the newest order minus the lookback', () => {
    expect(pullWindow({ maxCreateTime: undefined, lookbackSeconds: 600, now })).toEqual({
      start: PULL_EPOCH,
      end: now,
      until: new Date('2026-03-01T11:59:55Z'),
      source: 'epoch',
    });
    const cursor = pullWindow({ maxCreateTime: Date.parse('2026-03-01T10:00:00Z') / S, lookbackSeconds: 600, now });
    expect(cursor.start.toISOString()).toBe('2026-03-01T09:50:00.000Z');
    expect(cursor.source).toBe('cursor');
  });

  it('takes a manual window as given and clamps until to now − 5 s', () => {
    const manual = { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-02-02T00:00:00Z') };
    expect(pullWindow({ manual, maxCreateTime: 1, lookbackSeconds: 600, now })).toEqual({ ...manual, until: manual.end, source: 'manual' });
    const late = { start: manual.start, end: new Date('2026-03-02T00:00:00Z') };
    expect(pullWindow({ manual: late, maxCreateTime: 1, lookbackSeconds: 600, now }).until).toEqual(new Date('2026-03-01T11:59:55Z'));
  });

  it('keeps [start, end) exactly', () => {
    const w = { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-02-01T00:01:00Z') };
    expect(inPullWindow({ dscoCreateDate: '2026-01-31T23:59:59Z' }, w)).toBe(false);
    expect(inPullWindow({ dscoCreateDate: '2026-02-01T00:00:00Z' }, w)).toBe(true);
    expect(inPullWindow({ dscoCreateDate: '2026-02-01T00:00:59Z' }, w)).toBe(true);
    expect(inPullWindow({ dscoCreateDate: '2026-02-01T00:01:00Z' }, w)).toBe(false);
  });

  it('derives the row and refuses an unknown status', () => {
    const raw = {
      poNumber: 'PO-9',
      dscoOrderId: '9',
      dscoRetailerId: 'R1',
      dscoStatus: 'shipment_pending',
      dscoCreateDate: '2026-02-01T00:00:07Z',
      shipWarehouseCode: 'WH-EAST',
      shippingServiceLevelCode: 'UPSG',
      lineItems: [{ partnerSku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }],
      extra: { kept: true },
    };
    const parsed = parseDscoOrder(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(toPulledRow(parsed.order, raw)).toEqual({
      ok: true,
      row: {
        po_number: 'PO-9',
        dsco_order_id: '9',
        dsco_retailer_id: 'R1',
        dsco_status: 'shipment_pending',
        dsco_create_time: Date.parse('2026-02-01T00:00:07Z') / S,
        mskus: 'A(2),B(1)',
        warehouse_id: 'WH-EAST',
        shipment: 'UPSG',
        payload: raw,
        pulledStatus: 1,
      },
    });
    const odd = parseDscoOrder({ ...raw, dscoStatus: 'on_hold' });
    if (!odd.ok) throw new Error(odd.reason);
    expect(toPulledRow(odd.order, raw)).toEqual({ ok: false, reason: 'unknown DSCO status on_hold' });
  });
});

describe('pull_dsco_orders', () => {
  it('lands 1,000 seeded orders once with the status of their scenario; a re-run adds nothing', async () => {
    const seeded = h.sandbox.world.seedOrders({ count: 1000 });
    const first = await h.run('pull_dsco_orders');
    expect(first.status).toBe('ok');
    expect(first.details).toMatchObject({ pulled: 1000, inserted: 1000, updated: 0, unchanged: 0, skipped: 0, capped: false });
    expect(first.details.window).toMatchObject({ by: 'updated', start: iso(PULL_EPOCH.getTime() - 600 * S), source: 'epoch' });
    expect(first.counts).toEqual({ ok: 1000, skipped: 0, failed: 0 });

    const stored = await rows();
    expect(stored.size).toBe(seeded.count);
    for (const { order, scenario } of h.sandbox.state().orders) {
      const row = stored.get(order.poNumber);
      const expected = scenario.tags.includes('cancelled') ? 6 : scenario.tags.includes('already_shipped') ? 5 : 1;
      expect({ po: order.poNumber, status: row?.status }).toEqual({ po: order.poNumber, status: expected });
      expect(row?.dsco_create_time).toBe(Date.parse(order.dscoCreateDate) / S);
      expect(row?.payload).toMatchObject({ poNumber: order.poNumber, dscoStatus: order.dscoStatus });
    }
    const orderDone = h.lines.filter((l) => l.message === 'order done' && l.run_id === first.runId);
    expect(orderDone).toHaveLength(1000);

    // An overlap reaching back past every order re-reads all of them.
    await h.setConfig({ jobs: { pull_dsco_orders: { overlap_seconds: 30 * 86_400 } } });
    const again = await h.run('pull_dsco_orders');
    expect(again.details).toMatchObject({ pulled: 1000, inserted: 0, updated: 0, unchanged: 1000, statusChanges: {} });
    const after = await rows();
    expect(after.size).toBe(1000);
    for (const [po, row] of after) expect(row.updated_at).toEqual(stored.get(po)?.updated_at);
  }, 60_000);

  it('moves a re-pulled order to 6 when cancelled in DSCO and lands an order shipped at first pull at 5', async () => {
    const open = h.sandbox.world.addOrder();
    const shipped = h.sandbox.world.addOrder({ dscoStatus: 'shipped', dscoLifecycle: 'completed' });
    await h.run('pull_dsco_orders');
    expect((await h.store.orders.getByPo(open.order.poNumber))?.status).toBe(1);
    expect((await h.store.orders.getByPo(shipped.order.poNumber))?.status).toBe(5);

    open.order.dscoStatus = 'cancelled';
    const report = await h.run('pull_dsco_orders');
    expect(report.details).toMatchObject({ updated: 1, unchanged: 1, statusChanges: { '1→6': 1 } });
    const row = await h.store.orders.getByPo(open.order.poNumber);
    expect(row?.status).toBe(6);
    expect(row?.dsco_status).toBe('cancelled');
    expect((await h.store.orders.getByPo(shipped.order.poNumber))?.status).toBe(5);
  }, 30_000);

  it('keeps a manual window [start, end) exact to the second', async () => {
    const start = base();
    const end = start + 60 * S;
    const at = (ms: number) => h.sandbox.world.addOrder({ dscoCreateDate: iso(ms) }).order.poNumber;
    const before = at(start - S);
    const first = at(start);
    const last = at(end - S);
    const after = at(end);

    const report = await h.run('pull_dsco_orders', { window: { start: new Date(start), end: new Date(end) } });
    expect(report.details).toMatchObject({
      window: { start: iso(start), end: iso(end), source: 'manual' },
      inserted: 2,
      outsideWindow: 1, // `end` itself: DSCO's until is inclusive
    });
    expect([...(await rows()).keys()].sort()).toEqual([first, last].sort());
    expect([before, after].every((po) => po !== first && po !== last)).toBe(true);
  }, 30_000);

  it('skips malformed orders with a reason while the good ones of the same page land', async () => {
    const w = h.sandbox.world;
    const good = w.addOrder().order.poNumber;
    const badQty = w.addOrder({ lineItems: [{ partnerSku: 'DL-1001', quantity: -1, consumerPrice: 5 }] }).order.poNumber;
    const noLines = w.addOrder({ lineItems: [] }).order.poNumber;
    const oddStatus = w.addOrder({ dscoStatus: 'on_hold' as never }).order.poNumber;
    w.addOrder({ poNumber: '' });
    const good2 = w.addOrder().order.poNumber;

    const report = await h.run('pull_dsco_orders');
    expect(report.status).toBe('ok');
    expect(report.counts).toEqual({ ok: 2, skipped: 4, failed: 0 });
    expect([...(await rows()).keys()].sort()).toEqual([good, good2].sort());
    const reasonOf = (po: string) => report.items.find((i) => i.po_number === po)?.reason;
    expect(reasonOf(badQty)).toMatch(/^malformed order: lineItems\.0\.quantity must be positive/);
    expect(reasonOf(noLines)).toMatch(/^malformed order: lineItems must not be empty/);
    expect(reasonOf(oddStatus)).toBe('unknown DSCO status on_hold');
    expect(reasonOf('(unknown)')).toBe('malformed order: poNumber is required');
    const logged = h.lines.find((l) => l.message === 'order done' && l.run_id === report.runId && l.po_number === badQty);
    expect(logged).toMatchObject({ result: 'skipped', reason: reasonOf(badQty) });
  }, 30_000);

  it('with only_po_number reads and upserts exactly that PO', async () => {
    const [a, b] = [h.sandbox.world.addOrder(), h.sandbox.world.addOrder()];
    h.resetCalls();
    const report = await h.run('pull_dsco_orders', { onlyPoNumber: b.order.poNumber });
    expect(report.counts).toEqual({ ok: 1, skipped: 0, failed: 0 });
    expect([...(await rows()).keys()]).toEqual([b.order.poNumber]);
    expect(Object.keys(h.calls()).filter((k) => k.startsWith('dsco'))).toEqual(['dsco /order/']);
    expect(a.order.poNumber).not.toBe(b.order.poNumber);

    const missing = await h.run('pull_dsco_orders', { onlyPoNumber: 'PO-NOPE' });
    expect(missing.items).toEqual([{ po_number: 'PO-NOPE', result: 'skipped', reason: 'not found in DSCO' }]);
  }, 30_000);

  it('stops at a page boundary once size orders were handled', async () => {
    h.sandbox.world.seedOrders({ count: 2500 });
    await h.setConfig({ jobs: { pull_dsco_orders: { size: 1000 } } });
    const report = await h.run('pull_dsco_orders');
    expect(report.details).toMatchObject({ capped: true, pulled: 1000, inserted: 1000 });
    expect((await rows()).size).toBe(1000);
  }, 60_000);
});
