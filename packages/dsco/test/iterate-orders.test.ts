import { clampUntil, DscoApiError, type DscoClient, type DscoOrder } from '../src/index.js';
import { requestsTo, type FakeReply, type FakeRequest } from './fake-server.js';
import { makeTestClient, rejectionOf, useFakeDsco } from './helpers.js';

const fake = useFakeDsco();
const { env } = fake;
const NOW = Date.parse('2025-03-01T12:00:00Z');


function client(): DscoClient {
  return makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url, clock: () => new Date(NOW) });
}

const orders = Array.from({ length: 7 }, (_, i) => ({
  poNumber: `PO-${i}`,
  dscoCreateDate: new Date(Date.parse('2025-02-01T00:00:00Z') + i * 60_000).toISOString(),
}));

/**
 * Serves `all` in pages of `perPage` behind scroll ids `s1`, `s2`, …; `expire(n)` decides
 * whether the scroll id of page n has expired when it is asked for.
 */
function scrollServer(all: unknown[], perPage: number, expire: (page: number, req: FakeRequest) => boolean = () => false): void {
  fake.server.handle((req): FakeReply => {
    const scrollId = req.query.get('scrollId');
    const page = scrollId ? Number(scrollId.slice(1)) : 0;
    if (scrollId && expire(page, req)) return { status: 404, body: { messages: [{ code: 'SCROLL_EXPIRED' }] } };
    const slice = all.slice(page * perPage, (page + 1) * perPage);
    return { status: 200, body: { scrollId: `s${page + 1}`, orders: slice } };
  });
}

async function collect(it: AsyncIterable<{ orders: DscoOrder[]; rejected: unknown[] }>): Promise<{ pos: string[]; rejected: unknown[] }> {
  const pos: string[] = [];
  const rejected: unknown[] = [];
  for await (const page of it) {
    pos.push(...page.orders.map((o) => o.poNumber));
    rejected.push(...page.rejected);
  }
  return { pos, rejected };
}

describe('iterateOrders', () => {
  it('sends the window on the first page, then follows scrollId until an empty page', async () => {
    scrollServer(orders, 3);
    const { pos } = await collect(
      client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z'), status: ['created', 'shipment_pending'], perPage: 10 }),
    );
    expect(pos).toEqual(orders.map((o) => o.poNumber));
    const calls = requestsTo(fake.server, '/order/page');
    expect(calls).toHaveLength(4); // 3 + 3 + 1 + empty
    const first = calls[0]!.query;
    expect(first.get('ordersCreatedSince')).toBe('2025-02-01T00:00:00.000Z');
    expect(first.get('until')).toBe('2025-03-01T11:59:55.000Z');
    expect(first.getAll('status')).toEqual(['created', 'shipment_pending']);
    expect(first.get('ordersPerPage')).toBe('10');
    expect(calls.slice(1).map((c) => c.query.toString())).toEqual(['scrollId=s1', 'scrollId=s2', 'scrollId=s3']);
  });

  it('clamps until to now − 5 s by the injected clock but keeps an earlier until', async () => {
    expect(clampUntil(new Date(NOW + 60_000), NOW).toISOString()).toBe('2025-03-01T11:59:55.000Z');
    expect(clampUntil(new Date('2025-02-15T00:00:00Z'), NOW).toISOString()).toBe('2025-02-15T00:00:00.000Z');
    scrollServer([], 3);
    await collect(client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z'), until: new Date(NOW) }));
    expect(requestsTo(fake.server, '/order/page')[0]?.query.get('until')).toBe('2025-03-01T11:59:55.000Z');
    expect(requestsTo(fake.server, '/order/page')[0]?.query.get('ordersPerPage')).toBe('1000');
  });

  it('makes no call for an empty window', async () => {
    scrollServer(orders, 3);
    const { pos } = await collect(client().iterateOrders({ createdSince: new Date(NOW - 1_000) }));
    expect(pos).toEqual([]);
    expect(fake.server.requests).toHaveLength(0);
  });

  it('restarts the window when a scrollId expires and yields every order exactly once', async () => {
    let expired = 0;
    // The scroll of page 2 expires twice before the client gets through.
    scrollServer(orders, 3, (page) => page === 2 && expired++ < 2);
    const { pos } = await collect(client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z') }));
    expect(pos).toEqual(orders.map((o) => o.poNumber));
    expect(new Set(pos).size).toBe(orders.length);
    const firstPages = requestsTo(fake.server, '/order/page').filter((r) => !r.query.has('scrollId'));
    expect(firstPages).toHaveLength(3);
  });

  it('gives up with a retryable SCROLL_EXPIRED error when the scroll keeps expiring', async () => {
    scrollServer(orders, 3, () => true);
    const err = await rejectionOf(collect(client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z') })));
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err).toMatchObject({ code: 'SCROLL_EXPIRED', retryable: true });
  });

  it('treats a 404 on the first page as an error, not an expired scroll', async () => {
    fake.server.handle(() => ({ status: 404, body: { messages: [{ code: 'NOT_FOUND' }] } }));
    await expect(collect(client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z') }))).rejects.toMatchObject({
      status: 404,
      retryable: false,
    });
  });

  it('sets aside entries without a string poNumber and never yields an order twice within a scroll', async () => {
    const junk = [{ dscoOrderId: 'no-po' }, { poNumber: 42 }, 'not an object'];
    scrollServer([orders[0], ...junk, orders[0], orders[1]], 3);
    const { pos, rejected } = await collect(client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z') }));
    expect(pos).toEqual(['PO-0', 'PO-1']);
    expect(rejected).toEqual(junk);
  });

  it('rejects perPage outside 10–1000', async () => {
    for (const perPage of [9, 1001, 20.5]) {
      await expect(collect(client().iterateOrders({ createdSince: new Date(0), perPage }))).rejects.toThrow(RangeError);
    }
  });

  it('stops when the caller aborts between pages', async () => {
    scrollServer(orders, 3);
    const ac = new AbortController();
    const pages: number[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const page of client().iterateOrders({ createdSince: new Date('2025-02-01T00:00:00Z'), signal: ac.signal })) {
          pages.push(page.orders.length);
          ac.abort(new Error('stop'));
        }
      })(),
    );
    expect((err as Error).message).toBe('stop');
    expect(pages).toEqual([3]);
  });
});
