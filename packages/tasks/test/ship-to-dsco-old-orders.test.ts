import type { LingxingItemInput } from '@dlsync/sandbox';
import { addPendingOrder, line, parcelTracking, resetWorld, storeAtStatus } from './fixtures-ship.js';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const DAY_MS = 86_400_000;

beforeEach(async () => {
  await resetWorld(h);
});

describe('ship_to_dsco and outbounds older than a month', () => {
  it('finds an order whose outbound was created 40 days ago: the WMS read reaches back to the oldest order', async () => {
    const createdMs = Date.now() - 41 * DAY_MS;
    const order = addPendingOrder(h, { dscoCreateDate: new Date(createdMs).toISOString(), lineItems: [line(9)] });
    await storeAtStatus(h, [order], 3);
    // Seeded history: Lingxing created (and shipped) the order 40 days ago, so its outbound is
    // outside the one-month window Lingxing lists by default.
    const store = h.sandbox.world.suggestedMapping().shop[order.dscoRetailerId]!;
    const items: LingxingItemInput[] = [{ msku: 'DL-1009', sku: 'LX-1009', quantity: 1, unit_price: 10 }];
    h.sandbox.world.lingxing.create(store, { platform_order_no: order.poNumber, items }, createdMs + DAY_MS);
    const [tracking] = parcelTracking(h, order.poNumber);

    const report = await h.run('ship_to_dsco');
    expect(report.status).toBe('ok');
    expect(report.details).toMatchObject({ shipments_sent: 1, tracking_numbers: [tracking] });
    expect(await h.store.orders.getByPo(order.poNumber)).toMatchObject({ shipped_tracking_no: tracking });
  }, 60_000);
});
