import type { AddOrderInput, WorldOrder } from '@dlsync/sandbox';
import { cancellationVerdict } from '../src/push-cancellations.js';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();

const H = 3600 * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();
const row = (po: string) => h.store.orders.getByPo(po);
const cancels = () => h.sandbox.state().writes.lingxingCancels;
const creates = (po: string) => h.sandbox.state({ poNumber: po }).writes.lingxingCreates;

/** A DSCO order with no mapped warehouse (Lingxing picks one), created two hours ago. */
function addOrder(input: AddOrderInput = {}): WorldOrder {
  return h.sandbox.world.addOrder({ dscoCreateDate: iso(Date.now() - 2 * H), shipWarehouseCode: 'WH-ANY', ...input });
}

/** The retailer cancels the order in DSCO now. */
function cancelInDsco(order: WorldOrder): void {
  order.order.dscoStatus = 'cancelled';
  order.updatedAtMs = Date.now() - 6000;
  order.order.dscoLastUpdateDate = iso(order.updatedAtMs);
}

const schedule = { trigger: 'schedule' } as const;

beforeEach(async () => {
  h.sandbox.reset();
  await h.store.pool.query('TRUNCATE dsco_order_sync, sync_watermark, dsco_write');
  await h.setConfig();
});

describe('cancellationVerdict', () => {
  it('cancels what is not cancelled, needs nothing when all are, and never cancels a shipped PO', () => {
    expect(cancellationVerdict([{ global_order_no: '1', status: 5 }, { global_order_no: '2', status: 7 }])).toEqual({ kind: 'cancel', orderNos: ['1'] });
    expect(cancellationVerdict([{ global_order_no: '2', status: 7 }])).toEqual({ kind: 'already_cancelled' });
    expect(cancellationVerdict([{ global_order_no: '1', status: 1 }, { global_order_no: '3', status: 9 }])).toMatchObject({ kind: 'shipped' });
    expect(cancellationVerdict([{ global_order_no: '1', status: 6 }])).toEqual({ kind: 'shipped', detail: 'cancelled in DSCO after Lingxing shipped 1 (status 6)' });
    expect(cancellationVerdict([])).toEqual({ kind: 'not_found' });
  });
});

describe('push_to_lingxing cancellations', () => {
  it('cancelled before push: status 6 and never created in Lingxing', async () => {
    const order = addOrder();
    await h.run('pull_dsco_orders', schedule);
    cancelInDsco(order);
    await h.run('pull_dsco_orders', schedule);
    expect((await row(order.order.poNumber))?.status).toBe(6);

    const push = await h.run('push_to_lingxing', schedule);
    expect(push.counts).toEqual({ ok: 0, skipped: 0, failed: 0 });
    expect(creates(order.order.poNumber)).toEqual([]);
    expect(cancels()).toEqual([]);
  }, 30_000);

  it('cancelled after push, before Lingxing shipped: status 6, cancelled in Lingxing once, recorded', async () => {
    const order = addOrder({ scenario: { lingxing: { toShipAfterSeconds: 3600, shipAfterSeconds: 7200 } } });
    await h.run('pull_dsco_orders', schedule);
    await h.run('push_to_lingxing', schedule);
    const pushed = await row(order.order.poNumber);
    expect(pushed?.status).toBe(2);

    cancelInDsco(order);
    await h.run('pull_dsco_orders', schedule);
    expect((await row(order.order.poNumber))?.status).toBe(6);

    const report = await h.run('push_to_lingxing', schedule);
    expect(report.items).toEqual([{ po_number: order.order.poNumber, result: 'ok', reason: 'cancelled in Lingxing' }]);
    expect(report.details).toMatchObject({ lingxingCancelled: 1, cancelledAfterShipped: 0 });
    expect(cancels().map((c) => [c.globalOrderNo, c.result])).toEqual(pushed!.lingxing_order_nos!.split(',').map((no) => [no, 'success']));
    expect((await row(order.order.poNumber))?.lingxing_cancelled_at).toBeInstanceOf(Date);
    const [write] = await h.store.writes.listByPo(order.order.poNumber);
    expect(write).toMatchObject({ kind: 'lingxing_cancel', state: 'success', body: { order_list: pushed!.lingxing_order_nos!.split(',') } });

    // Done: the next run neither lists nor cancels it again.
    h.resetCalls();
    await h.run('push_to_lingxing', schedule);
    expect(cancels()).toHaveLength(pushed!.lingxing_order_nos!.split(',').length);
    expect(h.calls()['lingxing /pb/mp/order/v2/cancelOrder']).toBeUndefined();
  }, 30_000);

  it('cancelled after Lingxing shipped: status 6, flagged for operators, nothing cancelled', async () => {
    const order = addOrder({ scenario: { lingxing: { toShipAfterSeconds: 0, shipAfterSeconds: 0 } } });
    await h.run('pull_dsco_orders', schedule);
    await h.run('push_to_lingxing', schedule);
    expect((await row(order.order.poNumber))?.status).toBe(2);

    cancelInDsco(order);
    await h.run('pull_dsco_orders', schedule);
    const report = await h.run('push_to_lingxing', schedule);

    expect(report.details).toMatchObject({ lingxingCancelled: 0, cancelledAfterShipped: 1 });
    expect(await row(order.order.poNumber)).toMatchObject({
      status: 6,
      attention: 'cancelled_after_shipped',
      attention_detail: expect.stringMatching(/^cancelled in DSCO after Lingxing shipped \d+ \(status 6\)$/),
      lingxing_cancelled_at: null,
    });
    expect(cancels()).toEqual([]);
  }, 30_000);
});
