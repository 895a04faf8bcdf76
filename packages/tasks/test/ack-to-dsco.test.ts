import type { AddOrderInput } from '@dlsync/sandbox';
import { dscoAckState, lingxingReadiness, rejectedInAnswer } from '../src/rules/ack-readiness.js';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const ACK = '/order/acknowledge';
const RETAILER = '1000042101';
const line = (partnerSku: string, quantity = 1) => ({ partnerSku, quantity, consumerPrice: 10 });
const split: AddOrderInput = { lineItems: [line('DL-1001'), line('DL-1002')], scenario: { tags: ['split_order'], lingxing: { splitOrder: true } } };

/** Crafts DSCO orders and runs pull and push, so they sit at 2 (Lingxing status 1 until the clock moves). */
async function pushed(...inputs: AddOrderInput[]): Promise<string[]> {
  const pos = inputs.map((input) => h.sandbox.world.addOrder({ dscoRetailerId: RETAILER, ...input }).order.poNumber);
  await h.run('pull_dsco_orders');
  const push = await h.run('push_to_lingxing');
  expect(push.counts.ok).toBe(pos.length);
  return pos;
}

/** Past Lingxing's to-ship delay: every pushed sub-order is at 5. */
const toShip = () => h.sandbox.clock.advance(301_000);
const status = async (po: string) => (await h.store.orders.getByPo(po))?.status;
const acks = (po: string) => h.sandbox.state({ poNumber: po }).writes.dscoAcks;

beforeEach(async () => {
  h.sandbox.reset();
  h.sandbox.faults.set({ lingxing: {}, dsco: {} });
  await h.store.pool.query('TRUNCATE dsco_order_sync, dsco_write');
  await h.setConfig();
});

describe('ack rules', () => {
  it('is ready only when every sub-order is at 5 or 6', () => {
    expect(lingxingReadiness(undefined)).toEqual({ ready: false, waiting: false, reason: 'not in Lingxing' });
    expect(lingxingReadiness([{ status: 5 }, { status: 6 }])).toEqual({ ready: true });
    expect(lingxingReadiness([{ status: 5 }, { status: 4 }, { status: 4 }])).toEqual({
      ready: false,
      waiting: true,
      reason: 'waiting for Lingxing status 5/6 (statuses 4, 5)',
    });
  });

  it('reads DSCO acknowledged, completed, shipment_pending and shipped as already acknowledged', () => {
    expect(dscoAckState({ dscoStatus: 'created', dscoLifecycle: 'received' })).toBe('to_acknowledge');
    expect(dscoAckState({ dscoStatus: 'created', dscoLifecycle: 'acknowledged' })).toBe('acknowledged');
    expect(dscoAckState({ dscoStatus: 'shipment_pending', dscoLifecycle: 'created' })).toBe('acknowledged');
    expect(dscoAckState({ dscoStatus: 'shipped', dscoLifecycle: 'completed' })).toBe('acknowledged');
    expect(dscoAckState({ dscoStatus: 'cancelled', dscoLifecycle: 'completed' })).toBe('cancelled');
  });

  it('finds the POs an accepted answer still rejects', () => {
    const messages = [
      { code: 'ORDER_CANCELLED', severity: 'error', description: 'order PO10 is cancelled' },
      { code: 'NOTE', severity: 'info', description: 'PO2 fine' },
    ];
    expect(rejectedInAnswer(messages, ['PO1', 'PO10', 'PO2'])).toEqual(new Map([['PO10', 'ORDER_CANCELLED: order PO10 is cancelled']]));
    expect(rejectedInAnswer(undefined, ['PO1']).size).toBe(0);
  });
});

describe('ack_to_dsco', () => {
  it('acknowledges ready POs in one call with supplierOrderNumber = the Lingxing order number, and holds a split PO whose sub-order is not ready', async () => {
    const [single, splitReady, splitWaiting] = await pushed({ lineItems: [line('DL-1001')] }, split, split);
    const [, lagging] = h.sandbox.world.lingxing.byPo(splitWaiting!);
    expect(lagging).toBeDefined();
    (lagging as { toShipAtMs: number }).toShipAtMs = h.sandbox.clock.now() + 86_400_000; // this sub-order stays at 1
    toShip();

    h.resetCalls();
    const report = await h.run('ack_to_dsco');
    expect(report.status).toBe('ok');
    expect(report.details).toMatchObject({ candidates: 2, acknowledged: 2, alreadyAcknowledged: 0, ackCalls: 1 });
    expect(h.calls()[`dsco ${ACK}`]).toEqual({ ok: 1, error: 0 });
    expect(report.items.find((i) => i.po_number === splitWaiting)).toMatchObject({
      result: 'waiting',
      reason: 'waiting for Lingxing status 5/6 (statuses 1, 5)',
    });
    for (const po of [single!, splitReady!]) {
      expect(acks(po)).toHaveLength(1);
      expect(await status(po)).toBe(3);
      // supplierOrderNumber = the Lingxing global order number (the first sub-order's for a split PO), exact digits.
      const [first] = h.sandbox.world.lingxing.byPo(po);
      expect(acks(po)[0]?.supplierOrderNumber).toBe(first?.globalOrderNo);
      expect(h.sandbox.world.order(po)?.order).toMatchObject({ supplierOrderNumber: first?.globalOrderNo, dscoStatus: 'shipment_pending', dscoLifecycle: 'acknowledged' });
    }
    expect(acks(splitWaiting!)).toHaveLength(0);
    expect(await status(splitWaiting!)).toBe(2);
  }, 30_000);

  it('does nothing before Lingxing reaches 5 and skips a PO Lingxing does not have', async () => {
    const [early] = await pushed({});
    const orphan = h.sandbox.world.addOrder({ dscoRetailerId: RETAILER }).order.poNumber;
    await h.run('pull_dsco_orders');
    await h.store.orders.transition(orphan, 1, 2, { lingxing_order_nos: 'GONE' });

    const report = await h.run('ack_to_dsco');
    expect(report.items).toEqual(
      expect.arrayContaining([
        { po_number: early, result: 'waiting', reason: 'waiting for Lingxing status 5/6 (statuses 1)' },
        { po_number: orphan, result: 'skipped', reason: 'not in Lingxing' },
      ]),
    );
    expect(h.sandbox.state().writes.dscoAcks).toHaveLength(0);
  }, 30_000);

  it('multi_ban skips multi-line and multi-quantity orders', async () => {
    await h.setConfig({ jobs: { ack_to_dsco: { multi_ban: true } } });
    const [single, multiLine, multiQty] = await pushed(
      { lineItems: [line('DL-1001')] },
      { lineItems: [line('DL-1001'), line('DL-1002')] },
      { lineItems: [line('DL-1003', 2)] },
    );
    toShip();
    const report = await h.run('ack_to_dsco');
    for (const po of [multiLine!, multiQty!]) {
      expect(report.items.find((i) => i.po_number === po)).toMatchObject({ result: 'skipped', reason: 'multi_ban' });
      expect(acks(po)).toHaveLength(0);
      expect(await status(po)).toBe(2);
    }
    expect(acks(single!)).toHaveLength(1);
    expect(await status(single!)).toBe(3);
  }, 30_000);

  it('after an acknowledge whose answer was lost, the next run sends nothing and advances', async () => {
    const pos = await pushed({}, {});
    toShip();
    h.sandbox.faults.set({ dsco: { endpoints: { [ACK]: { lostResponseRate: 1 } } } });
    const lost = await h.run('ack_to_dsco');
    expect(lost.status).toBe('partial');
    expect(lost.counts.failed).toBe(2);
    expect(lost.items[0]?.reason).toMatch(/^ack send failed: .*\(outcome unknown\)$/);
    for (const po of pos) {
      expect(acks(po)).toHaveLength(1); // DSCO applied it
      expect(await status(po)).toBe(2);
    }

    h.sandbox.faults.set({ dsco: {} });
    const next = await h.run('ack_to_dsco');
    expect(next.status).toBe('ok');
    // The earlier write, found in DSCO's order log by its time window, settles them: nothing is sent.
    expect(next.details).toMatchObject({ alreadyAcknowledged: 0, acknowledged: 2, ackCalls: 0 });
    for (const po of pos) {
      expect(acks(po)).toHaveLength(1);
      expect(await status(po)).toBe(3);
      expect(next.items.find((i) => i.po_number === po)).toMatchObject({ result: 'ok', reason: 'acknowledged' });
    }
  }, 30_000);

  it('leaves a PO cancelled in DSCO meanwhile for pull to mark 6', async () => {
    const [po] = await pushed({});
    toShip();
    h.sandbox.world.order(po!)!.order.dscoStatus = 'cancelled';
    const report = await h.run('ack_to_dsco');
    expect(report.items).toEqual([{ po_number: po, result: 'skipped', reason: 'cancelled in DSCO; pull marks it 6' }]);
    expect(acks(po!)).toHaveLength(0);
    expect(await status(po!)).toBe(2);
  }, 30_000);
});
