import { parseDscoOrder, planShipments, type WmsRecord } from '../src/rules/index.js';

function order(lines: Array<{ sku: string; quantity: number }>) {
  const parsed = parseDscoOrder({
    poNumber: 'PO-R1',
    dscoCreateDate: '2026-01-01T00:00:00Z',
    lineItems: lines.map((l, i) => ({ ...l, dscoItemId: `I${i + 1}`, lineNumber: i + 1, partnerSku: `P-${l.sku}` })),
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.order;
}

const record = (fields: Partial<WmsRecord>): WmsRecord => ({
  status: 3,
  tracking_no: 'T1',
  delivered_at: '2026-01-03 10:00:00',
  stock_delivered_at: '',
  wid: '103430576541848065',
  product_info: [{ sku: 'A', count: 1, bundle_type: 0 }],
  ...fields,
});

const identity = (sku: string): string => sku;

describe('planShipments: what counts as shipped', () => {
  it('needs a tracking number and a ship time, and never counts a deleted outbound (status 4)', () => {
    const o = order([{ sku: 'A', quantity: 1 }]);
    expect(planShipments(o, [record({ status: 4 })], new Set(), identity).toSend).toEqual([]);
    expect(planShipments(o, [record({ tracking_no: '' , status: 2 })], new Set(), identity).toSend).toEqual([]);
    expect(planShipments(o, [record({ delivered_at: '', stock_delivered_at: '', status: 2 })], new Set(), identity).toSend).toEqual([]);
    // Status 3 without tracking or time is a problem worth reporting; status 1/2 is only not shipped yet.
    expect(planShipments(o, [record({ tracking_no: '' })], new Set(), identity).problems).toEqual(['shipped WMS record without tracking number']);
    expect(planShipments(o, [record({ tracking_no: '', status: 2 })], new Set(), identity).problems).toEqual([]);
    // Tracking number plus ship time counts whatever the status still says; stock_delivered_at is the fallback time.
    const plan = planShipments(o, [record({ status: 2, delivered_at: '', stock_delivered_at: '2026-01-04 08:00:00' })], new Set(), identity);
    expect(plan.toSend.map((s) => [s.trackingNumber, s.shipDate])).toEqual([['T1', '2026-01-04T08:00:00Z']]);
    expect(plan.shippedQty).toEqual(new Map([['A', 1]]));
  });

  it('counts a bundle by its bundle row only, not again by its split-out components', () => {
    const o = order([{ sku: 'KIT', quantity: 2 }]);
    const rec = record({
      product_info: [
        { sku: 'KIT', count: 2, bundle_type: 1 },
        { sku: 'KIT-PART-A', count: 2, bundle_type: 2 },
        { sku: 'KIT-PART-B', count: 2, bundle_type: 2 },
      ],
    });
    const plan = planShipments(o, [rec], new Set(), identity);
    expect(plan.shippedQty).toEqual(new Map([['KIT', 2]]));
    expect(plan.toSend[0]?.lineItems).toEqual([{ quantity: 2, sku: 'KIT', partnerSku: 'P-KIT', dscoItemId: 'I1', lineNumber: 1 }]);
  });

  it('flags a line spread over several tracking numbers (packageSpanFlag) and adds the warehouse code when known', () => {
    const o = order([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
    const records = [
      record({ tracking_no: 'T1', product_info: [{ sku: 'A', count: 2 }, { sku: 'B', count: 1 }] }),
      record({ tracking_no: 'T2', product_info: [{ sku: 'A', count: 1 }] }),
    ];
    const plan = planShipments(o, records, new Set(), identity, 'UTC', 'sku', { toWarehouseCode: (wid) => (wid === '103430576541848065' ? 'WH-EAST' : undefined) });
    const byTracking = Object.fromEntries(plan.toSend.map((s) => [s.trackingNumber, s]));
    expect(byTracking.T1?.warehouseCode).toBe('WH-EAST');
    expect(byTracking.T1?.lineItems.map((l) => [l.sku, l.quantity, l.packageSpanFlag ?? false])).toEqual([
      ['A', 2, true],
      ['B', 1, false],
    ]);
    expect(byTracking.T2?.lineItems.map((l) => [l.sku, l.quantity, l.packageSpanFlag ?? false])).toEqual([['A', 1, true]]);
    // Unknown warehouse: no code rather than a wrong one.
    const unknown = planShipments(o, records, new Set(), identity, 'UTC', 'sku', { toWarehouseCode: () => undefined });
    expect(unknown.toSend.every((s) => s.warehouseCode === undefined)).toBe(true);
  });
});
