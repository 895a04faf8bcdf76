import type { DscoClient } from '@dlsync/dsco';
import type { WorldOrder } from '@dlsync/sandbox';
import { DSCO_ORDERS_STREAM } from '@dlsync/store';
import { planPullScan } from '../src/pull-scan.js';
import { PULL_EPOCH } from '../src/rules/pull-row.js';
import { useTaskHarness, withDsco } from './harness.js';

const h = useTaskHarness();

const S = 1000;
const H = 3600 * S;
const iso = (ms: number): string => new Date(ms).toISOString();
const status = async (po: string) => (await h.store.orders.getByPo(po))?.status;

/** DSCO changes an order now (as a retailer's cancellation or edit would): its update time moves. */
function changeInDsco(order: WorldOrder, change: (o: WorldOrder['order']) => void): void {
  change(order.order);
  // Within the scan's reach: until is now − 5 s.
  order.updatedAtMs = Date.now() - 6 * S;
  order.order.dscoLastUpdateDate = iso(order.updatedAtMs);
}

beforeEach(async () => {
  h.sandbox.reset();
  await h.store.pool.query('TRUNCATE dsco_order_sync, sync_watermark');
  await h.setConfig();
});

describe('planPullScan', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('reads by update time from the watermark minus the overlap up to now − 5 s; the epoch without one', () => {
    expect(planPullScan({ watermark: new Date('2026-03-01T11:00:00Z'), overlapSeconds: 600, now })).toEqual({
      kind: 'watermark',
      updatedSince: new Date('2026-03-01T10:50:00Z'),
      until: new Date('2026-03-01T11:59:55Z'),
      watermark: new Date('2026-03-01T11:00:00Z'),
      source: 'watermark',
      last: true,
    });
    expect(planPullScan({ watermark: new Date('2026-02-01T00:00:00Z'), overlapSeconds: 0, maxWindowSeconds: 86_400, now })).toMatchObject({
      updatedSince: new Date('2026-02-01T00:00:00Z'),
      until: new Date('2026-02-02T00:00:00Z'),
      last: false,
    });
    expect(planPullScan({ watermark: undefined, overlapSeconds: 0, now })).toMatchObject({ updatedSince: PULL_EPOCH, source: 'epoch' });
  });

  it('reads a manual window by creation date', () => {
    const manual = { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-02-02T00:00:00Z') };
    expect(planPullScan({ manual, watermark: new Date(0), overlapSeconds: 600, now })).toEqual({
      kind: 'manual',
      window: { ...manual, until: manual.end, source: 'manual' },
    });
  });
});

describe('pull_dsco_orders watermark', () => {
  it('moves the watermark to until after a complete scheduled scan, never on a manual window or a single PO', async () => {
    const order = h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) });
    const single = await h.run('pull_dsco_orders', { onlyPoNumber: order.order.poNumber });
    expect(single.counts.ok).toBe(1);
    const manual = await h.run('pull_dsco_orders', { window: { start: new Date(Date.now() - 3 * H), end: new Date(Date.now() - H) } });
    expect(manual.details).toMatchObject({ inserted: 0, unchanged: 1 });
    expect(await h.store.watermarks.get(DSCO_ORDERS_STREAM)).toBeUndefined();

    const scheduled = await h.run('pull_dsco_orders', { trigger: 'schedule' });
    const mark = await h.store.watermarks.get(DSCO_ORDERS_STREAM);
    expect(scheduled.details.window).toMatchObject({ by: 'updated', source: 'epoch' });
    expect(scheduled.details.watermark).toMatchObject({ moved: true, to: mark!.toISOString() });
    expect(mark!.getTime()).toBeGreaterThan(Date.now() - 60 * S);

    const next = await h.run('pull_dsco_orders', { trigger: 'schedule' });
    expect(next.details.window).toMatchObject({ source: 'watermark', start: iso(mark!.getTime() - 600 * S) });
  }, 30_000);

  it('a single-PO pull of a newer order does not make an older unstored order unreachable', async () => {
    // The last complete scan ended three hours ago; two orders arrived since.
    await h.store.watermarks.advance(DSCO_ORDERS_STREAM, new Date(Date.now() - 3 * H));
    const older = h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) }).order.poNumber;
    const newer = h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - H) }).order.poNumber;

    await h.run('pull_dsco_orders', { onlyPoNumber: newer });
    await h.run('pull_dsco_orders', { window: { start: new Date(Date.now() - 70 * 60 * S), end: new Date(Date.now() - 50 * 60 * S) } });
    await h.run('pull_dsco_orders', { trigger: 'schedule' });

    expect(await status(older)).toBe(1);
    expect(await status(newer)).toBe(1);
  }, 30_000);

  it('stores every order of a window DSCO returns newest first, even when a scan breaks after its first page', async () => {
    const pos = [5, 4, 3, 2, 1].map((hours) => h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - hours * H) }).order.poNumber);
    let failed = false;
    // DSCO promises no order within a scroll: newest first, one per page, and the scroll breaks
    // after the first page once.
    const reversed = withDsco('pull_dsco_orders', (real: DscoClient) => ({
      async *iterateOrders(options) {
        const all = [];
        for await (const page of real.iterateOrders(options)) all.push(...page.orders);
        all.reverse();
        for (const order of all) {
          yield { orders: [order], rejected: [] };
          if (!failed) {
            failed = true;
            throw new Error('connection reset mid-scroll');
          }
        }
      },
    }));

    const broken = await h.run('pull_dsco_orders', { trigger: 'schedule' }, reversed);
    expect(broken.status).toBe('failed');
    // Empty windows before it may have moved it, but never past the broken window's orders.
    const mark = await h.store.watermarks.get(DSCO_ORDERS_STREAM);
    expect(mark === undefined || mark.getTime() < Date.now() - 5 * H).toBe(true);
    expect(await status(pos[4]!)).toBe(1);

    const next = await h.run('pull_dsco_orders', { trigger: 'schedule' }, reversed);
    expect(next.status).toBe('ok');
    for (const po of pos) expect({ po, status: await status(po) }).toEqual({ po, status: 1 });
    expect(await h.store.watermarks.get(DSCO_ORDERS_STREAM)).toBeDefined();
  }, 30_000);

  it('a capped window leaves the watermark behind every order it has not read', async () => {
    await h.store.watermarks.advance(DSCO_ORDERS_STREAM, new Date(Date.now() - 3 * 86_400 * S));
    h.sandbox.world.seedOrders({ count: 1200 });
    await h.setConfig({ jobs: { pull_dsco_orders: { size: 1000 } } });
    const before = await h.store.watermarks.get(DSCO_ORDERS_STREAM);
    const report = await h.run('pull_dsco_orders', { trigger: 'schedule' });
    expect(report.details).toMatchObject({ capped: true, watermark: { moved: false } });
    expect(await h.store.watermarks.get(DSCO_ORDERS_STREAM)).toEqual(before);
  }, 60_000);

  it('a backlog larger than size is read window by window, the watermark never passing an unread order', async () => {
    const day = 86_400 * S;
    await h.store.watermarks.advance(DSCO_ORDERS_STREAM, new Date(Date.now() - 6 * day));
    const orders = [5, 4, 3, 2, 1].flatMap((d) => [0, 1, 2].map((i) => h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - d * day + i * H) })));
    await h.setConfig({ jobs: { pull_dsco_orders: { size: 4, max_window_seconds: 86_400 } } });

    let runs = 0;
    for (; runs < 10; runs++) {
      const report = await h.run('pull_dsco_orders', { trigger: 'schedule' });
      const mark = (await h.store.watermarks.get(DSCO_ORDERS_STREAM))!;
      for (const o of orders) {
        const stored = await h.store.orders.getByPo(o.order.poNumber);
        // Behind the watermark means read: nothing unread is ever passed.
        if (o.updatedAtMs <= mark.getTime()) expect({ po: o.order.poNumber, stored: !!stored }).toEqual({ po: o.order.poNumber, stored: true });
      }
      if (report.details.capped === false) break;
    }
    expect(runs).toBeGreaterThan(1);
    for (const o of orders) expect(await status(o.order.poNumber)).toBe(1);
    expect((await h.store.watermarks.get(DSCO_ORDERS_STREAM))!.getTime()).toBeGreaterThan(Date.now() - 60 * S);
  }, 60_000);
});

describe('pull_dsco_orders follows changes', () => {
  it('an order cancelled in DSCO an hour after it was pulled reaches 6 on the next scheduled pull, also from 2..4', async () => {
    const w = h.sandbox.world;
    const atOne = w.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) });
    const atThree = w.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) });
    await h.run('pull_dsco_orders', { trigger: 'schedule' });
    await h.store.db.updateTable('dsco_order_sync').set({ status: 3 }).where('po_number', '=', atThree.order.poNumber).execute();

    for (const o of [atOne, atThree]) changeInDsco(o, (order) => (order.dscoStatus = 'cancelled'));
    const report = await h.run('pull_dsco_orders', { trigger: 'schedule' });

    expect(report.details).toMatchObject({ statusChanges: { '1→6': 1, '3→6': 1 } });
    expect(await status(atOne.order.poNumber)).toBe(6);
    expect(await status(atThree.order.poNumber)).toBe(6);
  }, 30_000);

  it('an address or line change to an order already in Lingxing is stored and flagged for operators', async () => {
    const w = h.sandbox.world;
    const pushed = w.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) });
    const fresh = w.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H) });
    await h.run('pull_dsco_orders', { trigger: 'schedule' });
    await h.store.db.updateTable('dsco_order_sync').set({ status: 2 }).where('po_number', '=', pushed.order.poNumber).execute();

    for (const o of [pushed, fresh]) changeInDsco(o, (order) => (order.shipping = { ...order.shipping, address1: '99 Changed Rd' }));
    const report = await h.run('pull_dsco_orders', { trigger: 'schedule' });

    expect(report.details).toMatchObject({ updated: 2, flagged: 1 });
    expect(await h.store.orders.getByPo(pushed.order.poNumber)).toMatchObject({
      status: 2,
      attention: 'changed_after_push',
      payload: expect.objectContaining({ shipping: expect.objectContaining({ address1: '99 Changed Rd' }) }),
    });
    expect(await h.store.orders.getByPo(fresh.order.poNumber)).toMatchObject({ status: 1, attention: null });
  }, 30_000);

  it('a string Postgres cannot store skips its order with a reason; the good orders of the page are stored', async () => {
    const w = h.sandbox.world;
    const good = [w.addOrder().order.poNumber, w.addOrder().order.poNumber];
    const nul = w.addOrder();
    (nul.order as unknown as Record<string, unknown>).giftMessage = 'happy\u0000birthday';
    const surrogate = w.addOrder();
    surrogate.order.shipping = { ...surrogate.order.shipping, address2: 'Apt \uD83D' };

    const report = await h.run('pull_dsco_orders', { trigger: 'schedule' });

    expect(report.status).toBe('ok');
    expect(report.counts).toEqual({ ok: 2, skipped: 2, failed: 0 });
    for (const po of good) expect(await status(po)).toBe(1);
    const reasonOf = (po: string) => report.items.find((i) => i.po_number === po)?.reason;
    expect(reasonOf(nul.order.poNumber)).toBe('malformed order: $.payload.giftMessage contains a NUL character (\\u0000)');
    expect(reasonOf(surrogate.order.poNumber)).toBe('malformed order: $.payload.shipping.address2 contains a lone UTF-16 surrogate');
    expect(await h.store.orders.getByPo(nul.order.poNumber)).toBeUndefined();
  }, 30_000);
});
