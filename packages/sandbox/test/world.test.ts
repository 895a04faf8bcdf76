import { SCENARIO_TAGS, startSandbox, type Sandbox } from '../src/index.js';
import { control } from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11 });
});
afterAll(() => sandbox.close());

const window = { createdFrom: '2025-04-01T00:00:00Z', createdTo: '2025-04-08T00:00:00Z' };

describe('seeding', () => {
  it('is deterministic for a seed and differs for another seed', async () => {
    const generate = async (seed: number) => {
      const other = await startSandbox({ seed: 1 });
      try {
        other.world.seedOrders({ count: 50, seed, ...window });
        return other.world.dscoOrders.all().map((o) => ({ order: o.order, scenario: o.scenario }));
      } finally {
        await other.close();
      }
    };
    const a = await generate(123);
    expect(await generate(123)).toEqual(a);
    expect(await generate(124)).not.toEqual(a);
  });

  it('produces the scenario variety the tasks must handle', () => {
    const summary = sandbox.world.seedOrders({ count: 2000, ...window });
    expect(summary.count).toBe(2000);
    for (const tag of SCENARIO_TAGS.filter((t) => t !== 'custom')) expect(summary.byTag[tag] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(summary.byStatus).sort()).toEqual(['cancelled', 'created', 'shipment_pending', 'shipped']);
    const orders = sandbox.world.dscoOrders.all();
    expect(new Set(orders.map((o) => o.order.dscoRetailerId)).size).toBe(3);
    expect(new Set(orders.map((o) => o.order.shipWarehouseCode).filter(Boolean)).size).toBe(3);
    for (const { order, scenario } of orders) {
      expect(order.lineItems.length).toBeGreaterThanOrEqual(1);
      expect(order.lineItems.length).toBeLessThanOrEqual(3);
      expect(order.dscoCreateDate >= '2025-04-01T00:00:00Z' && order.dscoCreateDate < '2025-04-08T00:00:00Z').toBe(true);
      const hasPrice = (l: (typeof order.lineItems)[number]) => [l.consumerPriceWithTax, l.consumerPrice, l.retailPrice, l.expectedCost].some((p) => p !== undefined);
      expect(order.lineItems.every(hasPrice)).toBe(!scenario.tags.includes('missing_price'));
      if (scenario.tags.includes('address_array')) expect(order.shipping.address1).toBeUndefined();
      if (scenario.tags.includes('first_last_name')) expect(order.shipping.name).toBeUndefined();
      if (scenario.tags.includes('split_order')) expect(order.lineItems.length).toBeGreaterThanOrEqual(2);
      if (scenario.tags.includes('split_shipment')) expect(order.lineItems.reduce((n, l) => n + l.quantity, 0)).toBeGreaterThanOrEqual(2);
    }
    const prices = orders.flatMap((o) => o.order.lineItems.map((l) => l.consumerPrice)).filter((p): p is number => p !== undefined);
    expect(prices.some((p) => Math.round(p * 100) % 100 !== 0)).toBe(true);
  });

  it('keeps the suggested mapping consistent with the world', () => {
    const mapping = sandbox.world.suggestedMapping();
    const orders = sandbox.world.dscoOrders.all();
    for (const { order, scenario } of orders) {
      expect(mapping.shop[order.dscoRetailerId]).toMatch(/^\d+$/);
      const warehouse = order.shipWarehouseCode ?? order.requestedWarehouseCode ?? '';
      expect(mapping.warehouse[warehouse]).toBeDefined();
      expect(mapping.shipment[`${warehouse}-${order.shippingServiceLevelCode}`]).toBeDefined();
      // The mapping is keyed by the line key, the supplier sku; the retailer's partnerSku always differs from it.
      const unmapped = order.lineItems.some((l) => mapping.sku[l.sku ?? ''] === undefined);
      expect(unmapped).toBe(scenario.tags.includes('unmapped_sku'));
      for (const line of order.lineItems) {
        expect(line.sku).toBeDefined();
        expect(line.partnerSku).toBeDefined();
        expect(line.partnerSku).not.toBe(line.sku);
      }
      // New orders arrive as dscoStatus created; acknowledged ones show shipment_pending / acknowledged.
      if (scenario.tags.includes('acknowledged')) expect([order.dscoStatus, order.dscoLifecycle]).toEqual(['shipment_pending', 'acknowledged']);
      else if (!scenario.tags.includes('cancelled') && !scenario.tags.includes('already_shipped')) expect(order.dscoStatus).toBe('created');
    }
    const wids = new Set(Object.values(mapping.warehouse));
    for (const key of sandbox.world.catalog.inventory.keys()) expect(wids.has(key.split('|')[0] ?? '')).toBe(true);
  });

  it('handles 100k orders with index-based lookups', () => {
    const big = sandbox.world.seedOrders({ count: 100_000, createdFrom: '2024-01-01T00:00:00Z', createdTo: '2024-12-31T00:00:00Z' });
    expect(big.count).toBe(100_000);
    const window = sandbox.world.dscoOrders.query({ createdSinceMs: Date.parse('2024-06-01T00:00:00Z'), untilMs: Date.parse('2024-06-02T00:00:00Z'), statuses: [] });
    expect(window.length).toBeGreaterThan(100);
    expect(window.every((o) => o.order.dscoCreateDate.startsWith('2024-06-01'))).toBe(true);
    expect(sandbox.world.order(big.lastPoNumber ?? '')?.order.poNumber).toBe(big.lastPoNumber);
    sandbox.reset();
  });
});

describe('control API', () => {
  it('seeds, crafts orders, advances time, reports state and resets', async () => {
    const summary = await control(sandbox, 'POST', '/seed', { count: 30, seed: 5, ...window });
    expect(summary).toMatchObject({ count: 30, createdFrom: '2025-04-01T00:00:00Z' });
    const crafted = await control(sandbox, 'POST', '/orders', { poNumber: 'PO-CRAFTED-1', dscoRetailerId: '1000042101', lineItems: [{ partnerSku: 'DL-1001', quantity: 3, retailPrice: 9.99 }] });
    expect(crafted.order).toMatchObject({ poNumber: 'PO-CRAFTED-1', lineItems: [{ partnerSku: 'DL-1001', quantity: 3, retailPrice: 9.99, lineNumber: 1 }] });
    expect(crafted.scenario.tags).toEqual(['custom']);

    const state = await control(sandbox, 'GET', '/state');
    expect(state.orders).toHaveLength(31);
    expect(state.orders[0]).toMatchObject({ poNumber: expect.any(String), scenario: { tags: expect.any(Array) } });
    const one = await control(sandbox, 'GET', '/state?po=PO-CRAFTED-1');
    expect(one.orders).toHaveLength(1);

    const before = sandbox.clock.now();
    const clock = await control(sandbox, 'POST', '/advance', { seconds: 600 });
    expect(clock.offsetMs).toBeGreaterThanOrEqual(600_000);
    expect(sandbox.clock.now() - before).toBeGreaterThanOrEqual(600_000);

    expect(await control(sandbox, 'GET', '/mapping')).toEqual(sandbox.world.suggestedMapping());
    await control(sandbox, 'POST', '/reset');
    expect((await control(sandbox, 'GET', '/state')).orders).toEqual([]);
  });

  it('is also served on the Lingxing port and rejects bad input with 400', async () => {
    const response = await fetch(`${sandbox.lingxingUrl}/_control/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: -1 }) });
    expect(response.status).toBe(400);
    const duplicate = await fetch(`${sandbox.controlUrl}/orders`, { method: 'POST', body: JSON.stringify({ poNumber: 'DUP' }) });
    expect(duplicate.status).toBe(200);
    const again = await fetch(`${sandbox.controlUrl}/orders`, { method: 'POST', body: JSON.stringify({ poNumber: 'DUP' }) });
    expect(again.status).toBe(400);
  });
});
