import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeTestClient } from './helpers.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const env = useTestEnv();
let redisA: Redis;
let redisB: Redis;
let server: FakeServer;

beforeAll(async () => {
  redisA = new Redis(env.redisUrl);
  redisB = new Redis(env.redisUrl);
  server = await startFakeServer((req) =>
    req.path.endsWith('/acknowledge') ? { status: 202, body: { status: 'success', requestId: 'r' } } : { status: 200, body: { invoices: [] } },
  );
});
afterAll(async () => {
  await server.close();
  redisA.disconnect();
  redisB.disconnect();
});

// A limit of 3 per minute makes "the bucket is empty" observable without measuring time:
// a fourth call cannot start before the test's abort fires.
const tight = { overall: [{ max: 3, perMs: 60_000 }], acknowledge: [{ max: 2, perMs: 60_000 }] };

describe('rate limit', () => {
  it('is shared by two clients on two Redis connections', async () => {
    const prefix = `${env.redisPrefix}shared:`;
    const a = makeTestClient(redisA, prefix, { baseUrl: server.url, rateLimits: tight });
    const b = makeTestClient(redisB, prefix, { baseUrl: server.url, rateLimits: tight });
    await a.getInvoicesByPo('PO-1');
    await b.getInvoicesByPo('PO-2');
    await a.getInvoicesByPo('PO-3');
    const before = server.requests.length;
    await expect(b.getInvoicesByPo('PO-4', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(server.requests.length).toBe(before);

    // Another deployment (another key prefix) has its own budget.
    const other = makeTestClient(redisB, `${env.redisPrefix}other:`, { baseUrl: server.url, rateLimits: tight });
    await expect(other.getInvoicesByPo('PO-5')).resolves.toEqual([]);
  });

  it('gives acknowledge its own bucket, apart from the overall one', async () => {
    const prefix = `${env.redisPrefix}ack:`;
    const a = makeTestClient(redisA, prefix, { baseUrl: server.url, rateLimits: tight });
    const b = makeTestClient(redisB, prefix, { baseUrl: server.url, rateLimits: tight });
    for (let i = 0; i < 3; i++) await a.getInvoicesByPo(`PO-${i}`); // overall bucket now empty
    await a.acknowledge(['PO-1']);
    await b.acknowledge(['PO-2']);
    await expect(b.acknowledge(['PO-3'], { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    await expect(a.getInvoicesByPo('PO-9', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });
});
