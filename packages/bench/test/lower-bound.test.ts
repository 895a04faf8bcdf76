import { lowerBound, minimalCallCounts } from '../src/lower-bound.js';

const limits = {
  lingxingBuckets: { '/pb/mp/order/v2/create': 10, '/erp/sc/routing/wms/order/wmsOrderList': 1 },
  dscoPerSecond: 10,
  dscoPerMinute: 500,
  dscoAckPerSecond: 15,
  latencyMs: 50,
};

describe('lowerBound', () => {
  it('takes the busiest resource: buckets by latency, DSCO by its rate limits', () => {
    const b = lowerBound(
      {
        'lingxing /pb/mp/order/v2/create': 100, // 100 × 50 ms / 10 = 0.5 s
        'lingxing /erp/sc/routing/wms/order/wmsOrderList': 60, // 60 × 50 ms / 1 = 3 s
        'dsco /order/page': 30, // (30 − 10) / 10 = 2 s
        'dsco /order/acknowledge': 45, // (45 − 15) / 15 = 2 s
      },
      limits,
    );
    expect(b.bottleneck).toMatch(/wmsOrderList/);
    expect(b.seconds).toBeCloseTo(3);
    expect(b.resources.find((r) => r.resource.startsWith('dsco overall'))?.seconds).toBeCloseTo(2);
    expect(b.resources.find((r) => r.resource.startsWith('dsco acknowledge'))?.seconds).toBeCloseTo(2);
  });

  it('applies the per-minute DSCO limit when it binds', () => {
    const b = lowerBound({ 'dsco /order/page': 1500 }, { ...limits, dscoPerSecond: 100 });
    expect(b.seconds).toBeCloseTo(((1500 - 500) / 500) * 60);
  });

  it('counts the fewest calls from the API maxima', () => {
    const m = minimalCallCounts(10_000, {
      dscoPageSize: 1000,
      lingxingListPos: 200,
      wmsPos: 200,
      lingxingCreate: 200,
      dscoAck: 100,
      dscoShipments: 100,
      dscoInvoices: 100,
    });
    expect(m).toEqual({
      'dsco /order/page': 11,
      'lingxing /pb/mp/order/v2/list': 100,
      'lingxing /pb/mp/order/v2/create': 50,
      'dsco /order/acknowledge': 100,
      'lingxing /erp/sc/routing/wms/order/wmsOrderList': 100,
      'dsco /order/shipment/batch/small': 100,
      'dsco /invoice/batch/small': 100,
    });
  });
});
