import { startSandbox, type Sandbox } from '../src/index.js';
import { control, dscoFetch, isoAgo, lingxingCall, lingxingToken } from './helpers.js';

const WMS = '/erp/sc/routing/wms/order/wmsOrderList';
const LIST = '/pb/mp/order/v2/list';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, seedOrders: 20, dscoRateLimit: { enabled: false } });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const pagePath = () => `/order/page?ordersCreatedSince=2020-01-01T00:00:00Z&until=${encodeURIComponent(isoAgo(10))}&ordersPerPage=10`;

describe('Lingxing in-flight buckets', () => {
  it('answers 3001008 to a second concurrent wmsOrderList call and frees the slot on response', async () => {
    const { access_token } = await lingxingToken(sandbox);
    sandbox.faults.set({ lingxing: { endpoints: { [WMS]: { latencyMs: 300 } } } });
    const results = await Promise.all([lingxingCall(sandbox, access_token, WMS, { page: 1 }), lingxingCall(sandbox, access_token, WMS, { page: 1 })]);
    const codes = results.map((r) => r.json.code).sort();
    expect(codes).toEqual([0, '3001008']);
    const stats = sandbox.state({ orders: false }).buckets[WMS];
    expect(stats).toMatchObject({ capacity: 1, maxInFlight: 1, maxAttempted: 2, rejected: 1, inFlight: 0 });
    sandbox.faults.clear();
    expect((await lingxingCall(sandbox, access_token, WMS, { page: 1 })).json.code).toBe(0);
  });

  it('admits up to ten concurrent order list calls', async () => {
    const { access_token } = await lingxingToken(sandbox);
    sandbox.faults.set({ lingxing: { endpoints: { [LIST]: { latencyMs: 200 } } } });
    const results = await Promise.all(Array.from({ length: 11 }, () => lingxingCall(sandbox, access_token, LIST, { offset: 0, length: 10 })));
    expect(results.filter((r) => r.json.code === 0)).toHaveLength(10);
    expect(results.filter((r) => r.json.code === '3001008')).toHaveLength(1);
    expect(sandbox.state({ orders: false }).buckets[LIST]?.maxInFlight).toBe(10);
  });
});

describe('injected faults', () => {
  it('yields DSCO 5xx (JSON or HTML) at roughly the configured rate', async () => {
    await control(sandbox, 'POST', '/faults', { dsco: { serverErrorRate: 0.3 } });
    const statuses: number[] = [];
    let html = 0;
    for (let i = 0; i < 200; i += 1) {
      const result = await dscoFetch(sandbox, pagePath());
      statuses.push(result.status);
      if (result.text.startsWith('<html>')) html += 1;
    }
    const errors = statuses.filter((s) => s >= 500);
    expect(errors.length).toBeGreaterThan(30);
    expect(errors.length).toBeLessThan(90);
    expect(new Set(errors)).toEqual(new Set([500, 502, 503]));
    expect(html).toBeGreaterThan(0);
    expect(html).toBeLessThan(errors.length);
    expect(sandbox.state({ orders: false }).calls['dsco GET /order/page']?.faults.serverError).toBe(errors.length);
  });

  it('throttles DSCO with 429 + Retry-After and Lingxing with 3001008', async () => {
    const token = (await lingxingToken(sandbox)).access_token;
    sandbox.faults.set({ dsco: { throttleRate: 1 }, lingxing: { throttleRate: 1 } });
    const dsco = await dscoFetch(sandbox, pagePath());
    expect(dsco.status).toBe(429);
    expect(Number(dsco.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await lingxingCall(sandbox, token, LIST, {})).json).toMatchObject({ code: '3001008' });
    expect(sandbox.state({ orders: false }).calls[`lingxing ${LIST}`]?.codes['3001008']).toBeGreaterThan(0);
  });

  it('sends truncated JSON bodies at the malformed rate', async () => {
    sandbox.faults.set({ dsco: { malformedRate: 0.5 } });
    let broken = 0;
    for (let i = 0; i < 100; i += 1) {
      const result = await dscoFetch(sandbox, pagePath());
      expect(result.status).toBe(200);
      if (result.json === undefined) broken += 1;
    }
    expect(broken).toBeGreaterThan(30);
    expect(broken).toBeLessThan(70);
  });

  it('holds a timed-out response for the configured time and still applies the write', async () => {
    sandbox.faults.set({ dsco: { endpoints: { '/order/acknowledge': { timeoutRate: 1, timeoutMs: null } } } });
    const po = sandbox.world.addOrder().order.poNumber;
    const aborted = await dscoFetch(sandbox, '/order/acknowledge', { method: 'POST', body: JSON.stringify([{ id: po, type: 'PO_NUMBER' }]), signal: AbortSignal.timeout(300) }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(aborted).toBe('TimeoutError');
    expect(sandbox.world.order(po)?.order.dscoStatus).toBe('shipment_pending');
  });

  it('revokes tokens on both sides', async () => {
    const { access_token } = await lingxingToken(sandbox);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    const oauth = (await (await fetch(`${sandbox.dscoUrl}/oauth2/token`, { method: 'POST', body: form })).json()) as { access_token: string };
    expect((await dscoFetch(sandbox, pagePath(), { token: oauth.access_token })).status).toBe(200);
    await control(sandbox, 'POST', '/faults', { revokeTokens: 'all' });
    expect((await dscoFetch(sandbox, pagePath(), { token: oauth.access_token })).status).toBe(401);
    expect((await lingxingCall(sandbox, access_token, LIST, {})).json.code).toBe('2001003');
  });

  it('is reproducible for a seed', async () => {
    const run = async (): Promise<number[]> => {
      const other = await startSandbox({ seed: 99, dscoRateLimit: { enabled: false } });
      try {
        other.faults.set({ dsco: { serverErrorRate: 0.5 } });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) statuses.push((await dscoFetch(other, pagePath())).status);
        return statuses;
      } finally {
        await other.close();
      }
    };
    expect(await run()).toEqual(await run());
  });
});

describe('DSCO rate limits', () => {
  it('answers 429 with Retry-After beyond order page\'s stated 10 requests per second', async () => {
    const limited = await startSandbox();
    try {
      const results = await Promise.all(Array.from({ length: 12 }, () => dscoFetch(limited, pagePath())));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      const throttled = results.filter((r) => r.status === 429);
      expect(throttled).toHaveLength(2);
      expect(throttled[0]?.headers.get('retry-after')).toBe('1');
    } finally {
      await limited.close();
    }
  });

  it('keeps one budget per endpoint: acknowledge 15/s apart from order page, change logs unlimited', async () => {
    const limited = await startSandbox({ seed: 4, seedOrders: 3 });
    try {
      const pages = await Promise.all(Array.from({ length: 11 }, () => dscoFetch(limited, pagePath())));
      expect(pages.filter((r) => r.status === 429)).toHaveLength(1);
      const po = limited.state().orders[0]!.poNumber;
      const ack = (): ReturnType<typeof dscoFetch> => dscoFetch(limited, '/order/acknowledge', { method: 'POST', body: JSON.stringify([{ id: po, type: 'PO_NUMBER' }]) });
      const acks = await Promise.all(Array.from({ length: 16 }, ack));
      expect(acks.filter((r) => r.status === 202)).toHaveLength(15);
      expect(acks.filter((r) => r.status === 429)).toHaveLength(1);
      const logs = await Promise.all(Array.from({ length: 30 }, () => dscoFetch(limited, '/order/log?requestId=none')));
      expect(logs.every((r) => r.status === 404)).toBe(true);
      limited.assertNoViolations();
    } finally {
      await limited.close();
    }
  });
});
