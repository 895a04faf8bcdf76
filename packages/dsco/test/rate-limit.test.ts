import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { DSCO_ENDPOINT_LIMITS, DSCO_ENDPOINTS, type DscoRateLimits } from '../src/index.js';
import { rateMarginOf } from '../src/client.js';
import { makeTestClient, NO_RATE_LIMIT } from './helpers.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const env = useTestEnv();
let redisA: Redis;
let redisB: Redis;
let server: FakeServer;

beforeAll(async () => {
  redisA = new Redis(env.redisUrl);
  redisB = new Redis(env.redisUrl);
  server = await startFakeServer((req) => {
    if (req.path.endsWith('/acknowledge')) return { status: 202, body: { status: 'success', requestId: 'r' } };
    if (req.path.endsWith('/log')) return { status: 200, body: { status: 'COMPLETED', logs: [] } };
    return { status: 200, body: { invoices: [] } };
  });
});
afterAll(async () => {
  await server.close();
  redisA.disconnect();
  redisB.disconnect();
});

// Limits of a few per minute make "the budget is empty" observable without measuring time:
// one more call cannot start before the test's abort fires.
const tight: DscoRateLimits = {
  endpoints: { ...NO_RATE_LIMIT.endpoints, 'GET /invoice': [{ max: 3, perMs: 60_000 }], 'POST /order/acknowledge': [{ max: 2, perMs: 60_000 }] },
};
const blocked = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(300) });

describe('rate limit', () => {
  it('takes each endpoint limit from the spec, per second and per minute', () => {
    expect(DSCO_ENDPOINT_LIMITS['GET /order/page']).toMatchObject({ stated: true, limits: [{ max: 10, perMs: 1000 }, { max: 500, perMs: 60_000 }] });
    expect(DSCO_ENDPOINT_LIMITS['GET /order/']).toMatchObject({ stated: true, limits: [{ max: 10, perMs: 1000 }, { max: 500, perMs: 60_000 }] });
    expect(DSCO_ENDPOINT_LIMITS['POST /order/acknowledge']).toMatchObject({ stated: true, limits: [{ max: 15, perMs: 1000 }, { max: 1000, perMs: 60_000 }] });
    expect(DSCO_ENDPOINT_LIMITS['GET /invoice']).toMatchObject({ stated: true, limits: [{ max: 15, perMs: 1000 }, { max: 1000, perMs: 60_000 }] });
    for (const e of ['POST /order/shipment/batch/small', 'POST /invoice/batch/small', 'POST /inventory/batch/small'] as const) {
      expect(DSCO_ENDPOINT_LIMITS[e]).toMatchObject({ stated: false, maxBodyBytes: 5_000_000 });
    }
    // Every endpoint the client calls has an entry (the type enforces it; this guards the list).
    expect(Object.keys(DSCO_ENDPOINT_LIMITS).sort()).toEqual([...DSCO_ENDPOINTS].sort());
  });

  it('keeps slack under the windows DSCO states and counts, and none on its own pacing of the change logs', () => {
    expect(rateMarginOf('GET /order/page')).toBeGreaterThan(0);
    expect(rateMarginOf('POST /order/acknowledge')).toBeGreaterThan(0);
    for (const e of ['GET /order/log', 'GET /invoice/log', 'GET /inventory/log'] as const) expect(rateMarginOf(e)).toBe(0);
  });

  it('is shared per endpoint by two clients on two Redis connections', async () => {
    const prefix = `${env.redisPrefix}shared:`;
    const a = makeTestClient(redisA, prefix, { baseUrl: server.url, rateLimits: tight });
    const b = makeTestClient(redisB, prefix, { baseUrl: server.url, rateLimits: tight });
    await a.getInvoicesByPo('PO-1');
    await b.getInvoicesByPo('PO-2');
    await a.getInvoicesByPo('PO-3');
    const before = server.requests.length;
    await expect(b.getInvoicesByPo('PO-4', blocked())).rejects.toThrow();
    expect(server.requests.length).toBe(before);

    // Another deployment (another key prefix) has its own budget.
    const other = makeTestClient(redisB, `${env.redisPrefix}other:`, { baseUrl: server.url, rateLimits: tight });
    await expect(other.getInvoicesByPo('PO-5')).resolves.toEqual([]);
  });

  it('gives every endpoint its own budget: an exhausted one does not hold back another', async () => {
    const prefix = `${env.redisPrefix}per-endpoint:`;
    const a = makeTestClient(redisA, prefix, { baseUrl: server.url, rateLimits: tight });
    const b = makeTestClient(redisB, prefix, { baseUrl: server.url, rateLimits: tight });
    for (let i = 0; i < 3; i++) await a.getInvoicesByPo(`PO-${i}`); // GET /invoice budget now empty
    await a.acknowledge(['PO-1']);
    await b.acknowledge(['PO-2']);
    await expect(b.acknowledge(['PO-3'], blocked())).rejects.toThrow(); // acknowledge budget empty
    await expect(a.getInvoicesByPo('PO-9', blocked())).rejects.toThrow();
    await expect(b.getChangeLog('order', 'r')).resolves.toBeDefined(); // the change log's own budget is untouched
  });

  it('adds an optional account-wide cap over every endpoint together', async () => {
    const prefix = `${env.redisPrefix}overall:`;
    const capped: DscoRateLimits = { ...NO_RATE_LIMIT, overall: [{ max: 2, perMs: 60_000 }] };
    const a = makeTestClient(redisA, prefix, { baseUrl: server.url, rateLimits: capped });
    const b = makeTestClient(redisB, prefix, { baseUrl: server.url, rateLimits: capped });
    await a.getInvoicesByPo('PO-1');
    await b.acknowledge(['PO-2']);
    await expect(a.getChangeLog('order', 'r', blocked())).rejects.toThrow();
  });
});
