import { DSCO_ENDPOINT_LIMITS } from '@dlsync/dsco';
import { apiMaxima, dscoLimitsByPath } from '../src/bench-limits.js';
import { chainedBound, changeLogEdges, criticalPath, itemsPerBody, lowerBound, minimalCallCounts, rateSeconds, ratioToLargest } from '../src/lower-bound.js';

const perSecondAndMinute = (s: number, m: number) => [
  { max: s, perMs: 1000 },
  { max: m, perMs: 60_000 },
];

const limits = {
  lingxingBuckets: { '/pb/mp/order/v2/create': 10, '/erp/sc/routing/wms/order/wmsOrderList': 1 },
  dscoEndpoints: { '/order/page': perSecondAndMinute(10, 500), '/order/acknowledge': perSecondAndMinute(15, 1000) },
  latencyMs: 50,
};

describe('rateSeconds', () => {
  it('lets the first window burst and charges each further window in full', () => {
    expect(rateSeconds(10, { max: 10, perMs: 1000 })).toBe(0);
    expect(rateSeconds(30, { max: 10, perMs: 1000 })).toBeCloseTo(2);
    expect(rateSeconds(1500, { max: 500, perMs: 60_000 })).toBeCloseTo(120);
  });
});

describe('lowerBound', () => {
  it('takes the busiest resource: buckets by latency, each DSCO endpoint by its own limits plus one round trip', () => {
    const b = lowerBound(
      {
        'lingxing /pb/mp/order/v2/create': 100, // 100 × 50 ms / 10 = 0.5 s
        'lingxing /erp/sc/routing/wms/order/wmsOrderList': 60, // 60 × 50 ms / 1 = 3 s
        'dsco /order/page': 30, // (30 − 10) / 10 + 0.05 = 2.05 s
        'dsco /order/acknowledge': 45, // (45 − 15) / 15 + 0.05 = 2.05 s
        'dsco /order/log': 1000, // unpaced in these limits: no resource
      },
      limits,
    );
    expect(b.bottleneck).toMatch(/wmsOrderList/);
    expect(b.seconds).toBeCloseTo(3);
    expect(b.resources.find((r) => r.resource.startsWith('dsco /order/page'))?.seconds).toBeCloseTo(2.05);
    expect(b.resources.find((r) => r.resource.startsWith('dsco /order/acknowledge'))?.seconds).toBeCloseTo(2.05);
    expect(b.resources.some((r) => r.resource.includes('/order/log'))).toBe(false);
  });

  it('applies the per-minute limit when it binds, and names both limits', () => {
    const b = lowerBound({ 'dsco /order/page': 1500 }, { ...limits, dscoEndpoints: { '/order/page': perSecondAndMinute(100, 500) } });
    expect(b.seconds).toBeCloseTo(((1500 - 500) / 500) * 60 + 0.05);
    expect(b.bottleneck).toBe('dsco /order/page (100/s, 500/min)');
  });

  it('charges an account-wide cap over every DSCO endpoint together', () => {
    const b = lowerBound({ 'dsco /order/page': 10, 'dsco /order/acknowledge': 15 }, { ...limits, dscoAccount: [{ max: 5, perMs: 1000 }] });
    expect(b.bottleneck).toMatch(/account cap/);
    expect(b.seconds).toBeCloseTo((25 - 5) / 5 + 0.05);
  });

  it('is zero without calls', () => {
    expect(lowerBound({}, limits).seconds).toBe(0);
  });
});

describe('dscoLimitsByPath', () => {
  it('is the dsco package table keyed by path', () => {
    const byPath = dscoLimitsByPath();
    expect(byPath['/order/page']).toBe(DSCO_ENDPOINT_LIMITS['GET /order/page'].limits);
    expect(byPath['/order/acknowledge']).toBe(DSCO_ENDPOINT_LIMITS['POST /order/acknowledge'].limits);
    expect(byPath['/invoice/log']).toBe(DSCO_ENDPOINT_LIMITS['GET /invoice/log'].limits);
  });
});

describe('minimalCallCounts', () => {
  it('counts the fewest calls from the API maxima, the change log of each write read once, page by page', () => {
    const m = minimalCallCounts(10_000, {
      dscoPageSize: 1000,
      lingxingListPos: 200,
      wmsPos: 200,
      lingxingCreate: 200,
      dscoAck: 5000,
      dscoShipments: 4000,
      dscoInvoices: 10_000,
      changeLogPageSize: 1000,
    });
    expect(m).toEqual({
      'dsco /order/page': 11,
      'lingxing /pb/mp/order/v2/list': 100,
      'lingxing /pb/mp/order/v2/create': 50,
      'dsco /order/acknowledge': 2,
      'lingxing /erp/sc/routing/wms/order/wmsOrderList': 50,
      'dsco /order/shipment/batch/small': 3,
      'dsco /invoice/batch/small': 1,
      // acks 2 × 5 pages; shipments 4,000 + 4,000 + 2,000: 4 + 4 + 2.
      'dsco /order/log': 20,
      'dsco /invoice/log': 10,
    });
  });

  it('fills write bodies by bytes: a 4.5 MB budget holds one 10,000-order ack, shipment and invoice body', () => {
    expect(itemsPerBody(100, 9)).toBe(9); // [ + 9 × (9 bytes + comma) ≤ 100 − 2
    const m = minimalCallCounts(10_000, apiMaxima());
    expect(m['dsco /order/acknowledge']).toBe(1);
    expect(m['dsco /order/shipment/batch/small']).toBe(1);
    expect(m['dsco /invoice/batch/small']).toBe(1);
    // Settling them reads 100 pages of 100 entries per write (the page with the last entry ends the read).
    expect(m['dsco /order/log']).toBe(200);
  });
});

describe('criticalPath', () => {
  it('sums the chain: pull, push, the later of fulfilment and ack, ship and invoice each settled after the apply delay', () => {
    const c = criticalPath({ latencyMs: 50, applyDelayMs: 500, toShipAfterMs: 500, shipAfterMs: 1000 });
    // pull 50 + push 100 + max(1000, 500 + 50 + 600) + WMS 50 + ship 600 + invoice 600
    expect(c.seconds).toBeCloseTo((50 + 100 + 1150 + 50 + 600 + 600) / 1000);
    expect(c.steps.map((s) => s.step.split(' ')[0])).toEqual(['pull:', 'push:', 'Lingxing', 'ship:', 'ship:', 'invoice:']);
  });

  it('lets an acknowledgement applied at once shorten the ack', () => {
    const c = criticalPath({ latencyMs: 50, applyDelayMs: 500, ackApplyDelayMs: 0, toShipAfterMs: 500, shipAfterMs: 0 });
    // to-ship 500 + list 50 (the DSCO read beside it) + ack 50 + log read 50
    expect(c.steps[2]?.ms).toBe(650);
  });

  it('lets a slow warehouse dominate the ack', () => {
    const c = criticalPath({ latencyMs: 0, applyDelayMs: 0, toShipAfterMs: 0, shipAfterMs: 60_000 });
    expect(c.seconds).toBeCloseTo(60);
  });
});

describe('chainedBound', () => {
  const chain = { latencyMs: 50, applyDelayMs: 500, ackApplyDelayMs: 0, toShipAfterMs: 1000, shipAfterMs: 1000 };

  it('puts the ack chain before the order log and an invoice after it; the invoice log waits for the whole first chain', () => {
    const edges = changeLogEdges(chain);
    // pull 50 + push 100 + to-ship 1000 + list 50 + acknowledge 50 + apply 0
    expect(edges['dsco /order/log']).toEqual({ headMs: 1250, tailMs: 600 });
    expect(edges['dsco /invoice/log']?.headMs).toBeCloseTo(criticalPath(chain).seconds * 1000 - 50);
  });

  it('adds the edges to the resources they belong to and picks the busiest again', () => {
    const limits10 = { lingxingBuckets: { '/erp/sc/routing/wms/order/wmsOrderList': 1 }, dscoEndpoints: { '/order/log': perSecondAndMinute(10, 500) }, latencyMs: 50 };
    // order log (200 − 10) / 10 + 0.05 = 19.05 s; WMS 400 × 50 ms = 20 s: the WMS list is busier alone
    const plain = lowerBound({ 'dsco /order/log': 200, 'lingxing /erp/sc/routing/wms/order/wmsOrderList': 400 }, limits10);
    expect(plain.bottleneck).toMatch(/wmsOrderList/);
    const chained = chainedBound(plain, changeLogEdges(chain));
    expect(chained.bottleneck).toMatch(/order\/log/);
    expect(chained.seconds).toBeCloseTo(19.05 + 1.25 + 0.6);
    expect(chained.resources.find((r) => r.key.endsWith('wmsOrderList'))?.seconds).toBeCloseTo(20);
  });
});

describe('ratioToLargest', () => {
  it('divides by the largest bound', () => {
    expect(ratioToLargest(12, [4, 10, 6])).toBeCloseTo(1.2);
    expect(ratioToLargest(1, [0])).toBe(Number.POSITIVE_INFINITY);
  });
});
