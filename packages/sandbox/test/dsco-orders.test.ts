import { startSandbox, type Sandbox } from '../src/index.js';
import { dscoFetch, isoAgo } from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, dscoRateLimit: { enabled: false } });
});
afterAll(() => sandbox.close());

const page = (query: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, v);
  return dscoFetch(sandbox, `/order/page?${params}`);
};

describe('auth', () => {
  it('requires a bearer token and accepts OAuth2 client-credentials tokens', async () => {
    expect((await dscoFetch(sandbox, '/order/?orderKey=poNumber&value=x', { token: 'wrong' })).status).toBe(401);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    const response = await fetch(`${sandbox.dscoUrl}/oauth2/token`, { method: 'POST', body: form });
    const token = (await response.json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(3600);
    expect((await dscoFetch(sandbox, '/order/?orderKey=poNumber&value=x', { token: token.access_token })).status).toBe(404);
    sandbox.clock.advance(3600 * 1000);
    expect((await dscoFetch(sandbox, '/order/?orderKey=poNumber&value=x', { token: token.access_token })).status).toBe(401);
    const bad = await fetch(`${sandbox.dscoUrl}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'nope' }) });
    expect(bad.status).toBe(401);
  });
});

describe('GET /order/page', () => {
  beforeAll(() => {
    sandbox.reset();
    sandbox.world.seedOrders({ count: 137, createdFrom: '2025-03-01T00:00:00Z', createdTo: '2025-03-02T00:00:00Z' });
  });

  it('yields every order of a window exactly once, ordered by dscoCreateDate, then ends with an empty page', async () => {
    const seen: string[] = [];
    const dates: string[] = [];
    let response = await page({ ordersCreatedSince: '2025-03-01T06:00:00Z', until: '2025-03-01T18:00:00Z', ordersPerPage: '10' });
    let pages = 0;
    while (response.json.orders.length > 0) {
      pages += 1;
      expect(response.status).toBe(200);
      expect(response.json.orders.length).toBeLessThanOrEqual(10);
      for (const order of response.json.orders) {
        seen.push(order.poNumber);
        dates.push(order.dscoCreateDate);
      }
      response = await dscoFetch(sandbox, `/order/page?scrollId=${encodeURIComponent(response.json.scrollId)}`);
    }
    const expected = sandbox.world.dscoOrders
      .all()
      .filter((o) => o.order.dscoCreateDate >= '2025-03-01T06:00:00Z' && o.order.dscoCreateDate <= '2025-03-01T18:00:00Z')
      .map((o) => o.order.poNumber);
    expect(expected.length).toBeGreaterThan(20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
    expect([...dates].sort()).toEqual(dates);
    expect(pages).toBe(Math.ceil(expected.length / 10));
  });

  it('filters by repeated status and includes the boundary order (ordersCreatedSince is inclusive)', async () => {
    const first = sandbox.world.dscoOrders.all()[0];
    const response = await page({ ordersCreatedSince: first?.order.dscoCreateDate ?? '', until: isoAgo(10), status: ['created', 'cancelled'] });
    const statuses = new Set(response.json.orders.map((o: { dscoStatus: string }) => o.dscoStatus));
    expect([...statuses].every((s) => s === 'created' || s === 'cancelled')).toBe(true);
    if (first?.order.dscoStatus === 'created' || first?.order.dscoStatus === 'cancelled') expect(response.json.orders[0].poNumber).toBe(first.order.poNumber);
  });

  it('expires a scrollId after the ttl (404)', async () => {
    const response = await page({ ordersCreatedSince: '2025-03-01T00:00:00Z', until: isoAgo(10), ordersPerPage: '10' });
    sandbox.clock.advance(301 * 1000);
    const next = await dscoFetch(sandbox, `/order/page?scrollId=${response.json.scrollId}`);
    expect(next.status).toBe(404);
    expect(next.json.messages[0].code).toBe('NOT_FOUND');
  });

  it('validates until, the since parameters, status and ordersPerPage', async () => {
    const recent = await page({ ordersCreatedSince: '2025-03-01T00:00:00Z', until: isoAgo(1) });
    expect(recent.status).toBe(400);
    expect(recent.json).toEqual({ messages: [{ code: 'VALIDATION_FAILED', severity: 'error', description: expect.stringContaining('5 seconds') }] });
    expect((await page({ ordersCreatedSince: '2025-03-01T00:00:00Z' })).status).toBe(400);
    expect((await page({ until: isoAgo(10) })).status).toBe(400);
    expect((await page({ ordersCreatedSince: '2025-03-01T00:00:00Z', until: isoAgo(10), status: 'open' })).status).toBe(400);
    expect((await page({ ordersCreatedSince: '2025-03-01T00:00:00Z', until: isoAgo(10), ordersPerPage: '9' })).status).toBe(400);
    expect((await page({ ordersCreatedSince: '2025-03-01T00:00:00Z', until: isoAgo(10), ordersPerPage: '1001' })).status).toBe(400);
  });

  it('supports ordersUpdatedSince (an acknowledged order moves out of its old update window)', async () => {
    const window = { ordersUpdatedSince: '2025-03-01T12:00:00Z', until: '2025-03-01T13:00:00Z' };
    const before = (await page(window)).json.orders.map((o: { poNumber: string }) => o.poNumber);
    const expected = sandbox.world.dscoOrders.all().filter((o) => o.order.dscoCreateDate >= window.ordersUpdatedSince && o.order.dscoCreateDate <= window.until);
    expect(before).toEqual(expected.map((o) => o.order.poNumber));
    const target = expected.find((o) => o.order.dscoStatus === 'created');
    expect(target).toBeDefined();
    await dscoFetch(sandbox, '/order/acknowledge', { method: 'POST', body: JSON.stringify([{ id: target?.order.poNumber, type: 'PO_NUMBER' }]) });
    const after = (await page(window)).json.orders.map((o: { poNumber: string }) => o.poNumber);
    expect(after).toEqual(before.filter((po: string) => po !== target?.order.poNumber));
  });
});

describe('GET /order/ by PO and acknowledge', () => {
  it('returns the order by poNumber or 404', async () => {
    const order = sandbox.world.addOrder();
    const found = await dscoFetch(sandbox, `/order/?orderKey=poNumber&value=${order.order.poNumber}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual(order.order);
    expect((await dscoFetch(sandbox, '/order/?orderKey=poNumber&value=NOPE')).status).toBe(404);
  });

  it('acknowledges: 202, shipment_pending/acknowledged, recorded, change log completed', async () => {
    const order = sandbox.world.addOrder({ dscoStatus: 'created', dscoLifecycle: 'created' });
    const result = await dscoFetch(sandbox, '/order/acknowledge', { method: 'POST', body: JSON.stringify([{ id: order.order.poNumber, type: 'PO_NUMBER' }]) });
    expect(result.status).toBe(202);
    expect(result.json).toMatchObject({ status: 'success', requestId: expect.any(String), eventDate: expect.any(String) });
    const after = (await dscoFetch(sandbox, `/order/?orderKey=poNumber&value=${order.order.poNumber}`)).json;
    expect(after).toMatchObject({ dscoStatus: 'shipment_pending', dscoLifecycle: 'acknowledged' });
    expect(sandbox.state({ poNumber: order.order.poNumber }).writes.dscoAcks).toEqual([expect.objectContaining({ poNumber: order.order.poNumber, result: 'success' })]);
    const log = await dscoFetch(sandbox, `/order/log?requestId=${result.json.requestId}`);
    expect(log.json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', payload: { id: order.order.poNumber, type: 'PO_NUMBER' } }] });
  });

  it('rejects a malformed acknowledge body with VALIDATION_FAILED', async () => {
    const result = await dscoFetch(sandbox, '/order/acknowledge', { method: 'POST', body: JSON.stringify([{ id: 'PO1' }]) });
    expect(result.status).toBe(400);
    expect(result.json.messages[0]).toMatchObject({ code: 'VALIDATION_FAILED', severity: 'error' });
    expect(result.json.messages[0].description).toMatch(/type/);
  });
});
