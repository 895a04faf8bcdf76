import { parseDscoOrder } from '../src/rules/index.js';
import { coveringShipFacts, parseShipFacts, shipFactsOf } from '../src/ship-facts.js';

const parsed = parseDscoOrder({
  poNumber: 'PO-F',
  dscoRetailerId: '1001',
  dscoStatus: 'shipment_pending',
  dscoCreateDate: '2026-01-01T00:00:00Z',
  lineItems: [{ sku: 'A', quantity: 2, consumerPrice: 1 }, { sku: 'B', quantity: 1, consumerPrice: 1 }],
});
if (!parsed.ok) throw new Error(parsed.reason);
const order = parsed.order;
const shipped = new Date('2026-02-03T04:05:06Z');

describe('ship facts (pure)', () => {
  it('read back as they were planned: quantities per line key, the exact latest ship time, the tracking numbers once each', () => {
    const facts = shipFactsOf({ shippedQty: new Map([['A', 2], ['B', 1]]), lastShipDate: shipped }, ['1ZA', '1ZB', '1ZA'], 'sku', new Date('2026-02-03T05:00:00Z'));
    expect(facts).toEqual({ v: 1, line_key: 'sku', shipped: { A: 2, B: 1 }, last_ship_date: '2026-02-03T04:05:06.000Z', tracking_numbers: ['1ZA', '1ZB'], read_at: '2026-02-03T05:00:00.000Z' });
    const kept = coveringShipFacts(JSON.parse(JSON.stringify(facts)), order, 'sku');
    expect(kept).toEqual({ shippedQty: new Map([['A', 2], ['B', 1]]), lastShipDate: shipped, trackingNumbers: ['1ZA', '1ZB'] });
  });

  it('are not used when nothing shipped, when keyed by another line-key preference, malformed, or short of the order', () => {
    expect(shipFactsOf({ shippedQty: new Map() }, [], 'sku', shipped)).toBeUndefined();
    const facts = shipFactsOf({ shippedQty: new Map([['A', 1], ['B', 1]]), lastShipDate: shipped }, ['1ZA'], 'sku', shipped);
    expect(parseShipFacts(facts, 'sku')).toBeDefined();
    expect(parseShipFacts(facts, 'partner_sku')).toBeUndefined();
    expect(coveringShipFacts(facts, order, 'sku')).toBeUndefined();
    for (const bad of [null, 'x', [], { ...facts, v: 2 }, { ...facts, shipped: { A: -1 } }, { ...facts, last_ship_date: 'yesterday' }]) {
      expect(parseShipFacts(bad, 'sku')).toBeUndefined();
    }
  });
});
