import type { CreateOrdersParams } from '@dlsync/lingxing';
import type { TaskRegistry } from '@dlsync/runner';
import type { AddOrderInput } from '@dlsync/sandbox';
import { taskRegistry } from '@dlsync/tasks';
import { pushToLingxing } from '../src/push-to-lingxing.js';
import { createdOrderNos, isDuplicateOrderError, joinOrderNos, subOrdersByPo } from '../src/rules/push-sub-orders.js';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const CREATE = '/pb/mp/order/v2/create';

const RETAILER = '1000042101';

/** Crafts DSCO orders (of one known retailer unless given) and pulls them in, so they sit at status 1. */
async function pulled(...inputs: AddOrderInput[]): Promise<string[]> {
  const pos = inputs.map((input) => h.sandbox.world.addOrder({ dscoRetailerId: RETAILER, ...input }).order.poNumber);
  const report = await h.run('pull_dsco_orders');
  expect(report.counts.ok).toBeGreaterThanOrEqual(pos.length);
  return pos;
}

const status = async (po: string) => (await h.store.orders.getByPo(po))?.status;
const successfulCreates = (po: string) => h.sandbox.state({ poNumber: po }).writes.lingxingCreates.filter((w) => w.result === 'success');

/** The registry with push_to_lingxing running against a wrapped createOrders. */
function withCreate(wrap: (real: (p: CreateOrdersParams) => Promise<unknown>, params: CreateOrdersParams) => Promise<unknown>): TaskRegistry {
  return {
    ...taskRegistry,
    push_to_lingxing: (ctx) => {
      const real = ctx.lingxing.createOrders.bind(ctx.lingxing);
      const lingxing = { ...ctx.lingxing, createOrders: ((params, options) => wrap((p) => real(p, options), params)) as typeof real };
      return pushToLingxing({ ...ctx, lingxing });
    },
  };
}

beforeEach(async () => {
  h.sandbox.reset();
  h.sandbox.faults.set({ lingxing: {}, dsco: {} });
  await h.store.pool.query('TRUNCATE dsco_order_sync');
  // Without this, pull's watermark from an earlier test hides orders seeded with older dates.
  await h.store.pool.query('DELETE FROM sync_watermark');
  await h.setConfig();
});

describe('push rules', () => {
  it('groups sub-orders per PO and recognises duplicate errors', () => {
    const sub = (no: string, ...pos: string[]) => ({ global_order_no: no, status: 5, platform_info: pos.map((p) => ({ platform_order_no: p })) });
    const byPo = subOrdersByPo([sub('G1', 'A'), sub('G2', 'A'), sub('G3', 'Z'), sub('G1', 'A')], ['A', 'B']);
    expect([...byPo].map(([po, subs]) => [po, subs.map((s) => s.global_order_no)])).toEqual([['A', ['G1', 'G2']]]);
    expect(joinOrderNos(['G1', 'G2', 'G1', ''])).toBe('G1,G2');
    expect(createdOrderNos([{ platform_order_no: 'A', global_order_no: 'G1' }, { platform_order_no: 'A', global_order_no: 'G2' }])).toEqual(
      new Map([['A', ['G1', 'G2']]]),
    );
    expect(isDuplicateOrderError('platform_order_no PO1 already exists')).toBe(true);
    expect(isDuplicateOrderError('订单号重复')).toBe(true);
    expect(isDuplicateOrderError('wid 99 does not exist')).toBe(false);
  });
});

describe('push_to_lingxing', () => {
  it('skips orders per rule with the reason and creates only the good ones', async () => {
    const sku = 'DL-1001';
    const priced = [{ partnerSku: sku, quantity: 1, consumerPrice: 10 }];
    const [good, noStore, noLogistics, noPrice, noAddress] = await pulled(
      { lineItems: priced },
      { dscoRetailerId: '1000042103', lineItems: priced },
      { shipWarehouseCode: 'WH-EAST', shippingServiceLevelCode: 'SLOW', lineItems: priced },
      { lineItems: [{ partnerSku: sku, quantity: 1 }] },
      { shipping: { name: 'Ada', city: 'Austin', state: 'TX', country: 'US' }, lineItems: priced },
    );
    const mapping = h.sandbox.world.suggestedMapping();
    delete mapping.shop['1000042103'];
    await h.setConfig({ mapping });

    const report = await h.run('push_to_lingxing');
    const reasonOf = (po?: string) => report.items.find((i) => i.po_number === po)?.reason;
    expect(reasonOf(noStore)).toBe('no store mapping for retailer 1000042103');
    expect(reasonOf(noLogistics)).toBe('no logistics mapping for WH-EAST-SLOW (warehouse WH-EAST is mapped)');
    expect(reasonOf(noPrice)).toBe(`no price for ${sku}`);
    expect(reasonOf(noAddress)).toBe('missing address fields: address_line1, postal_code');
    expect(report.counts).toEqual({ ok: 1, skipped: 4, failed: 0 });

    const creates = h.sandbox.state().writes.lingxingCreates;
    expect(creates.map((w) => w.platformOrderNo)).toEqual([good]);
    expect(await status(good!)).toBe(2);
    for (const po of [noStore, noLogistics, noPrice, noAddress]) expect(await status(po!)).toBe(1);
  }, 30_000);

  it('sends the price by priority and the local sku only when mapped', async () => {
    const [po] = await pulled({
      lineItems: [
        { partnerSku: 'DL-1001', quantity: 1, consumerPriceWithTax: 11.5, consumerPrice: 10, retailPrice: 12, expectedCost: 5 },
        { partnerSku: 'DL-1002', quantity: 2, consumerPrice: 10, retailPrice: 12, expectedCost: 5 },
        { partnerSku: 'DLU-9002', quantity: 1, retailPrice: 12, expectedCost: 5 },
        { partnerSku: 'DL-1003', quantity: 1, expectedCost: 5 },
      ],
    });
    await h.run('push_to_lingxing');
    const [order] = h.sandbox.world.lingxing.byPo(po!);
    expect(order?.items).toEqual([
      { msku: 'DL-1001', sku: 'LX-1001', quantity: 1, unit_price: 11.5 },
      { msku: 'DL-1002', sku: 'LX-1002', quantity: 2, unit_price: 10 },
      { msku: 'DLU-9002', quantity: 1, unit_price: 12 },
      { msku: 'DL-1003', sku: 'LX-1003', quantity: 1, unit_price: 5 },
    ]);
    expect(order?.items[2]).not.toHaveProperty('sku');
    const row = await h.store.orders.getByPo(po!);
    expect(row).toMatchObject({ status: 2, lingxing_order_nos: order?.globalOrderNo });
  }, 30_000);

  it('records every sub-order of a split PO', async () => {
    const [po] = await pulled({
      lineItems: [
        { partnerSku: 'DL-1001', quantity: 1, consumerPrice: 10 },
        { partnerSku: 'DL-1002', quantity: 1, consumerPrice: 10 },
      ],
      scenario: { tags: ['split_order'], lingxing: { splitOrder: true } },
    });
    await h.run('push_to_lingxing');
    const nos = h.sandbox.world.lingxing.byPo(po!).map((o) => o.globalOrderNo);
    expect(nos).toHaveLength(2);
    expect((await h.store.orders.getByPo(po!))?.lingxing_order_nos).toBe(nos.join(','));
  }, 30_000);

  it('after a crash between the create and the DB update, the next run creates nothing and advances', async () => {
    const pos = await pulled({}, {});
    const crash = withCreate(async (real, params) => {
      await real(params);
      throw new Error('simulated crash after the Lingxing create');
    });
    const crashed = await h.run('push_to_lingxing', {}, crash);
    expect(crashed.status).toBe('failed');
    for (const po of pos) expect(await status(po)).toBe(1);

    const next = await h.run('push_to_lingxing');
    expect(next.status).toBe('ok');
    expect(next.details).toMatchObject({ alreadyInLingxing: 2, created: 0, createCalls: 0 });
    for (const po of pos) {
      expect(h.sandbox.state({ poNumber: po }).writes.lingxingCreates).toHaveLength(1);
      expect(await h.store.orders.getByPo(po)).toMatchObject({ status: 2, lingxing_order_nos: h.sandbox.world.lingxing.byPo(po)[0]?.globalOrderNo });
      expect(next.items.find((i) => i.po_number === po)).toMatchObject({ result: 'ok', reason: 'already in Lingxing' });
    }
  }, 30_000);

  it('a create lost on every attempt fails the orders; the next run records them without a second order', async () => {
    const pos = await pulled({}, {});
    h.sandbox.faults.set({ lingxing: { endpoints: { [CREATE]: { lostResponseRate: 1 } } } });
    const lost = await h.run('push_to_lingxing');
    expect(lost.status).toBe('partial');
    expect(lost.counts.failed).toBe(2);
    for (const po of pos) expect(await status(po)).toBe(1);

    h.sandbox.faults.set({ lingxing: {} });
    const next = await h.run('push_to_lingxing');
    expect(next.details).toMatchObject({ alreadyInLingxing: 2, createCalls: 0 });
    for (const po of pos) {
      expect(successfulCreates(po)).toHaveLength(1);
      expect(h.sandbox.world.lingxing.byPo(po)).toHaveLength(1);
      expect(await status(po)).toBe(2);
    }
  }, 30_000);

  it('a create retried after a lost response ("already exists") is settled by listing the PO again', async () => {
    const [po] = await pulled({});
    // The second call is what the client sends when the first answer never arrived.
    const retried = withCreate(async (real, params) => {
      await real(params);
      return real(params);
    });
    h.resetCalls();
    const report = await h.run('push_to_lingxing', {}, retried);
    expect(report.status).toBe('ok');
    expect(report.details).toMatchObject({ duplicatesRechecked: 1, created: 0 });
    expect(report.items).toEqual([{ po_number: po, result: 'ok', reason: 'already in Lingxing' }]);
    expect(successfulCreates(po!)).toHaveLength(1);
    expect(await status(po!)).toBe(2);
    expect(h.calls()['lingxing /pb/mp/order/v2/list']?.ok).toBe(2);
  }, 30_000);

  it('stores the 18-digit global_order_no exactly and sends wid/logistics_type_id as digit strings, address_line2 and amount_currency', async () => {
    const shipping = { name: 'Ada Lovelace', address1: '1 Main St', address2: 'Apt 4', city: 'Newark', region: 'NJ', postal: '07102', country: 'US', phone: '555-0100' };
    const [po] = await pulled({ shipWarehouseCode: 'WH-EAST', shippingServiceLevelCode: 'UPSG', currencyCode: 'usd', shipping, lineItems: [{ sku: 'DL-1002', quantity: 1, consumerPrice: 10 }] });
    const report = await h.run('push_to_lingxing');
    expect(report.details).toMatchObject({ created: 1 });

    const [created] = h.sandbox.world.lingxing.byPo(po!);
    const mapping = h.sandbox.world.suggestedMapping();
    expect(created?.input).toMatchObject({ address_line2: 'Apt 4', amount_currency: 'USD', wid: mapping.warehouse['WH-EAST'], logistics_type_id: mapping.shipment['WH-EAST-UPSG'] });
    expect(created?.input.wid).toMatch(/^\d{18}$/);
    // The sandbox answers global_order_no as an 18-digit JSON integer (the reference types it int).
    expect(created?.globalOrderNo).toMatch(/^\d{18}$/);
    expect(BigInt(created!.globalOrderNo) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await h.store.orders.getByPo(po!)).toMatchObject({ status: 2, lingxing_order_nos: created!.globalOrderNo });
  }, 30_000);

  it('an order with the same platform number in another store is not ours: push creates ours, ack reads only ours', async () => {
    const [po] = await pulled({ lineItems: [{ sku: 'DL-1001', quantity: 1, consumerPrice: 10 }] });
    const foreignStore = h.sandbox.world.catalog.foreignStoreId;
    const foreignOrder = { platform_order_no: po!, items: [{ msku: 'DL-1001', sku: 'LX-1001', quantity: 1, unit_price: 10 }] };
    // Another seller's order under the same number, shipped long ago.
    h.sandbox.world.lingxing.create(foreignStore, foreignOrder, Date.now() - 10 * 86_400_000);

    const report = await h.run('push_to_lingxing');
    expect(report.details).toMatchObject({ alreadyInLingxing: 0, created: 1 });
    const ours = successfulCreates(po!);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.storeId).toBe(h.sandbox.world.suggestedMapping().shop[RETAILER]);
    const row = await h.store.orders.getByPo(po!);
    expect(row).toMatchObject({ status: 2, lingxing_order_nos: ours[0]!.globalOrderNos.join(',') });

    // Ours reaches "to ship" (5); a second foreign order under the number, still syncing (1), must
    // not hold the acknowledgement back.
    h.sandbox.clock.advance(301_000);
    h.sandbox.world.lingxing.create(foreignStore, foreignOrder);
    const ack = await h.run('ack_to_dsco');
    expect(ack.items).toEqual([expect.objectContaining({ po_number: po, result: 'ok' })]);
    expect(h.sandbox.state({ poNumber: po }).writes.dscoAcks).toHaveLength(1);
  }, 30_000);

  it('pushes 300 orders with at most 2 create calls per store and 2 list calls', async () => {
    h.sandbox.world.seedOrders({ count: 300, mix: { cancelled: 0, already_shipped: 0, missing_price: 0, missing_address: 0 } });
    await h.run('pull_dsco_orders');
    await h.setConfig({ jobs: { push_to_lingxing: { size: 300 } } });
    const perStore = new Map<string, number>();
    const counting = withCreate((real, params) => {
      perStore.set(params.store_id, (perStore.get(params.store_id) ?? 0) + 1);
      return real(params);
    });
    h.resetCalls();
    const report = await h.run('push_to_lingxing', {}, counting);
    expect(report.counts).toEqual({ ok: 300, skipped: 0, failed: 0 });
    expect(perStore.size).toBe(3);
    for (const calls of perStore.values()) expect(calls).toBeLessThanOrEqual(2);
    expect(h.calls()[`lingxing ${CREATE}`]).toEqual({ ok: [...perStore.values()].reduce((a, b) => a + b), error: 0 });
    expect(h.calls()['lingxing /pb/mp/order/v2/list']).toEqual({ ok: 2, error: 0 });
    expect((await h.store.orders.countByStatus())[2]).toBe(300);
    expect(h.sandbox.state().buckets[CREATE]?.maxAttempted).toBeLessThanOrEqual(10);
  }, 60_000);
});
