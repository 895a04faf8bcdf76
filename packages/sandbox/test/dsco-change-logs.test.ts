import { startSandbox, type Sandbox } from '../src/index.js';
import { dscoFetch } from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 12, dscoRateLimit: { enabled: false }, changeLogPageSize: 2 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.options.asyncDelayMs = 250;
  sandbox.options.asyncFailureRate = 0;
});

const post = (path: string, body: unknown) => dscoFetch(sandbox, path, { method: 'POST', body: JSON.stringify(body) });
const pending = (dscoStatus: 'shipment_pending' | 'shipped' = 'shipment_pending') =>
  sandbox.world.addOrder({ dscoStatus, dscoLifecycle: dscoStatus === 'shipped' ? 'completed' : 'acknowledged', lineItems: [{ partnerSku: 'DL-1001', quantity: 1, consumerPrice: 5 }] });
const shipment = (po: string, trackingNumber: string) => ({ poNumber: po, shipments: [{ trackingNumber, shipDate: '2025-03-02T10:00:00Z', lineItems: [{ partnerSku: 'DL-1001', quantity: 1 }] }] });

/** Every entry of a change-log query, following scrollId until an empty page. */
async function readAll(path: string): Promise<{ pages: number; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  let page = await dscoFetch(sandbox, path);
  let pages = 1;
  expect({ status: page.status, body: page.status === 200 ? undefined : page.text }).toEqual({ status: 200, body: undefined });
  logs.push(...page.json.logs);
  while (page.json.scrollId && page.json.logs.length > 0) {
    page = await dscoFetch(sandbox, `${path.split('?')[0]}?scrollId=${page.json.scrollId}`);
    expect(page.status).toBe(200);
    logs.push(...page.json.logs);
    pages++;
  }
  return { pages, logs };
}

describe('DSCO change logs in the sandbox', () => {
  it('answers a startDate/endDate window of receive times, paged, with the status filter', async () => {
    const start = new Date(Date.now() - 1000).toISOString();
    const orders = [pending(), pending(), pending()];
    await post('/order/shipment/batch/small', orders.slice(0, 2).map((o, i) => shipment(o.order.poNumber, `1ZWIN${i}AAAA`)));
    await post('/order/shipment/batch/small', [shipment(orders[2]!.order.poNumber, 'BAD TRACKING')]);
    const end = new Date(Date.now() + 1000).toISOString();

    const all = await readAll(`/order/log?startDate=${start}&endDate=${end}`);
    expect(all.pages).toBeGreaterThan(1); // 3 entries at 2 a page
    expect(all.logs.map((l) => (l.payload as { poNumber: string }).poNumber)).toEqual(orders.map((o) => o.order.poNumber));
    expect(all.logs.every((l) => l.status === 'pending')).toBe(true);

    sandbox.clock.advance(1000);
    const failed = await readAll(`/order/log?startDate=${start}&endDate=${end}&status=failure`);
    expect(failed.logs).toEqual([expect.objectContaining({ status: 'failure', results: [expect.objectContaining({ code: 'INVALID_TRACKING_NUMBER' })] })]);
    expect((await readAll(`/order/log?startDate=${start}&endDate=${end}&status=success`)).logs).toHaveLength(2);
    const before = await dscoFetch(sandbox, `/order/log?startDate=${new Date(Date.parse(start) - 60_000).toISOString()}&endDate=${start}`);
    expect(before.json.logs).toEqual([]);
    sandbox.assertNoViolations();
  });

  it('applies writes after the configured delay', async () => {
    sandbox.options.asyncDelayMs = 60_000;
    const order = pending();
    const accepted = await post('/order/shipment/batch/small', [shipment(order.order.poNumber, '1ZDELAY0001')]);
    sandbox.clock.advance(30_000);
    expect((await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`)).json).toMatchObject({ status: 'PROCESSING', logs: [{ status: 'pending' }] });
    expect(sandbox.world.order(order.order.poNumber)?.order.packages ?? []).toEqual([]);
    sandbox.clock.advance(30_000);
    expect((await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`)).json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success' }] });
    expect(sandbox.world.order(order.order.poNumber)?.order.packages?.map((p) => p.trackingNumber)).toEqual(['1ZDELAY0001']);
    sandbox.assertNoViolations();
  });

  it('refuses an invoice for an unshipped or unknown order in the invoice log, and accepts one for a shipped order', async () => {
    const shipped = pending('shipped');
    const unshipped = pending();
    const invoice = (po: string) => ({ invoiceId: po, poNumber: po, invoiceDate: '2025-03-02T10:00:00Z', totalAmount: 5, lineItems: [{ partnerSku: 'DL-1001', quantity: 1, unitPrice: 5 }] });
    const accepted = await post('/invoice/batch/small', [invoice(shipped.order.poNumber), invoice(unshipped.order.poNumber), invoice('PO-NOBODY')]);
    sandbox.clock.advance(1000);
    const log = await readAll(`/invoice/log?requestId=${accepted.json.requestId}`);
    expect(log.logs.map((l) => [l.status, (l.results as { code: string }[])[0]?.code])).toEqual([
      ['success', 'SUCCESS'],
      ['failure', 'ORDER_NOT_SHIPPED'],
      ['failure', 'ORDER_NOT_FOUND'],
    ]);
    sandbox.assertNoViolations();
  });

  it('fails every async item at asyncFailureRate 1, and serves 5xx for a change log a fault makes unavailable', async () => {
    sandbox.options.asyncFailureRate = 1;
    const order = pending();
    const accepted = await post('/order/shipment/batch/small', [shipment(order.order.poNumber, '1ZFAIL00001')]);
    sandbox.clock.advance(1000);
    const log = (await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`)).json;
    expect(log.logs[0]).toMatchObject({ status: 'failure', results: [{ code: 'PROCESSING_FAILED' }] });
    expect(sandbox.world.order(order.order.poNumber)?.order.packages ?? []).toEqual([]);

    sandbox.faults.set({ dsco: { endpoints: { '/order/log': { serverErrorRate: 1 } } } });
    expect((await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`)).status).toBeGreaterThanOrEqual(500);
    sandbox.faults.clear();
    sandbox.assertNoViolations();
  });

  it('needs a requestId or both dates, and 404s an expired scroll', async () => {
    expect((await dscoFetch(sandbox, '/order/log?startDate=2025-01-01T00:00:00Z')).status).toBe(400);
    sandbox.world.recorder.takeViolations(); // refused on purpose
    const orders = [pending(), pending(), pending()];
    const accepted = await post('/order/shipment/batch/small', orders.map((o, i) => shipment(o.order.poNumber, `1ZSCROLL${i}AA`)));
    const first = (await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`)).json;
    expect(first.logs).toHaveLength(2);
    sandbox.clock.advance(sandbox.options.scrollTtlSeconds * 1000 + 1);
    expect((await dscoFetch(sandbox, `/order/log?scrollId=${first.scrollId}`)).status).toBe(404);
    sandbox.assertNoViolations();
  });
});
