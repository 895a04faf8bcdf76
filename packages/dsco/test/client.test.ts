import { makeMemoryLogger } from '@dlsync/logger';
import { makeCallCounter, type RemoteCallEvent } from '@dlsync/remote';
import { DscoApiError, type DscoClient } from '../src/index.js';
import { requestsTo, startFakeServer } from './fake-server.js';
import { TOKEN, errorText, makeTestClient, rejectionOf, useFakeDsco } from './helpers.js';

const fake = useFakeDsco();
const { env } = fake;
let client: DscoClient;

beforeEach(() => {
  client = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url });
});

const order = { poNumber: 'PO-1', dscoStatus: 'created', dscoCreateDate: '2025-02-01T00:00:00Z', lineItems: [{ sku: 'A', quantity: 1 }] };

describe('requests', () => {
  it('sends the static token as a bearer header and returns the order by PO', async () => {
    fake.server.handle(() => ({ status: 200, body: { ...order, futureField: { x: 1 } } }));
    const found = await client.getOrderByPo('PO-1');
    expect(found).toEqual({ ...order, futureField: { x: 1 } });
    const [req] = requestsTo(fake.server, '/order/');
    expect(req?.headers.authorization).toBe(`bearer ${TOKEN}`);
    // DSCO wants the JSON content type declared on every request, reads included.
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.query.get('orderKey')).toBe('poNumber');
    expect(req?.query.get('value')).toBe('PO-1');
  });

  it('returns undefined for a PO DSCO does not have (404)', async () => {
    fake.server.handle(() => ({ status: 404, body: { messages: [{ code: 'NOT_FOUND', severity: 'error', description: 'no order' }] } }));
    await expect(client.getOrderByPo('PO-404')).resolves.toBeUndefined();
    expect(fake.server.requests).toHaveLength(1);
  });

  it('keeps an order whose non-key fields have the wrong type, reading them as undefined', async () => {
    fake.server.handle(() => ({ status: 200, body: { poNumber: 'PO-2', dscoCreateDate: 12, lineItems: 'nope', shipping: { city: 5, country: 'US' } } }));
    const found = await client.getOrderByPo('PO-2');
    expect(found?.poNumber).toBe('PO-2');
    expect(found?.dscoCreateDate).toBeUndefined();
    expect(found?.lineItems).toBeUndefined();
    expect(found?.shipping).toEqual({ city: undefined, country: 'US' });
  });

  it('acknowledges with [{id, type: PO_NUMBER, supplierOrderNumber?}] and returns the 202 body', async () => {
    fake.server.handle(() => ({ status: 202, body: { status: 'success', requestId: 'r-1', eventDate: '2025-02-01T00:00:00Z' } }));
    await expect(client.acknowledge(['PO-1', { poNumber: 'PO-2', supplierOrderNumber: '110283406273996288' }])).resolves.toEqual({
      status: 'success',
      requestId: 'r-1',
      eventDate: '2025-02-01T00:00:00Z',
    });
    const [req] = requestsTo(fake.server, '/order/acknowledge');
    expect(req?.method).toBe('POST');
    expect(JSON.parse(req?.body ?? '')).toEqual([
      { id: 'PO-1', type: 'PO_NUMBER' },
      { id: 'PO-2', type: 'PO_NUMBER', supplierOrderNumber: '110283406273996288' },
    ]);
    expect(req?.headers['content-type']).toBe('application/json');
  });

  it('posts shipments, invoices and inventory to their small-batch endpoints', async () => {
    fake.server.handle(() => ({ status: 202, body: { status: 'success', requestId: 'r-2' } }));
    const shipments = [
      {
        poNumber: 'PO-1',
        shipments: [{ trackingNumber: 'T1', shipDate: '2025-02-02T00:00:00Z', shipCarrier: 'UPS', lineItems: [{ quantity: 1, partnerSku: 'A' }] }],
      },
    ];
    const invoices = [
      { invoiceId: 'PO-1', poNumber: 'PO-1', invoiceDate: '2025-02-02T00:00:00Z', totalAmount: 9.99, lineItems: [{ quantity: 1, unitPrice: 9.99 }] },
    ];
    const items = [{ sku: 'A', warehouses: [{ code: 'W1', quantity: 3 }], quantityAvailable: 3 }];
    await expect(client.createShipments(shipments)).resolves.toMatchObject({ requestId: 'r-2' });
    await expect(client.createInvoices(invoices)).resolves.toMatchObject({ requestId: 'r-2' });
    await expect(client.updateInventory(items)).resolves.toMatchObject({ requestId: 'r-2' });
    expect(JSON.parse(requestsTo(fake.server, '/order/shipment/batch/small')[0]?.body ?? '')).toEqual(shipments);
    expect(JSON.parse(requestsTo(fake.server, '/invoice/batch/small')[0]?.body ?? '')).toEqual(invoices);
    const inventory = requestsTo(fake.server, '/inventory/batch/small')[0];
    expect(JSON.parse(inventory?.body ?? '')).toEqual(items);
    expect(inventory?.query.get('skipItemsThatDontExist')).toBe('true');
  });

  it('reads invoices by PO and change logs by kind', async () => {
    fake.server.handle((req) =>
      req.path.endsWith('/log')
        ? { status: 200, body: { status: 'COMPLETED', logs: [{ status: 'success', results: [{ po: 'PO-1' }] }] } }
        : { status: 200, body: { invoices: [{ invoiceId: 'PO-1', poNumber: 'PO-1', extra: true }] } },
    );
    await expect(client.getInvoicesByPo('PO-1')).resolves.toEqual([{ invoiceId: 'PO-1', poNumber: 'PO-1', extra: true }]);
    expect(requestsTo(fake.server, '/invoice')[0]?.query.toString()).toBe('key=poNumber&value=PO-1');
    for (const kind of ['order', 'invoice', 'inventory'] as const) {
      await expect(client.getChangeLog(kind, 'req-9')).resolves.toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success' }] });
      expect(requestsTo(fake.server, `/${kind}/log`)[0]?.query.get('requestId')).toBe('req-9');
    }
  });

  it('refuses empty bodies and bodies over 5 MB without calling DSCO', async () => {
    await expect(client.acknowledge([])).rejects.toThrow(RangeError);
    const tooBig = Array.from({ length: 120_000 }, (_, i) => `PO-${String(i).padStart(12, '0')}`);
    await expect(client.acknowledge(tooBig)).rejects.toThrow(/exceeds/);
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('turns a 400 into a permanent DscoApiError carrying the messages, after one attempt', async () => {
    const messages = [{ code: 'VALIDATION_FAILED', severity: 'error', description: 'trackingNumber is required' }];
    fake.server.handle(() => ({ status: 400, body: { messages } }));
    const err = await rejectionOf(client.createShipments([{ poNumber: 'PO-1', shipments: [] }]));
    expect(err).toBeInstanceOf(DscoApiError);
    const e = err as DscoApiError;
    expect(e).toMatchObject({ status: 400, code: 'HTTP_400', endpoint: '/order/shipment/batch/small', method: 'POST', retryable: false });
    expect(e.messages).toEqual(messages);
    expect(e.message).toContain('VALIDATION_FAILED: trackingNumber is required');
    expect(fake.server.requests).toHaveLength(1);
  });

  it('retries 5xx and 429 and succeeds once DSCO recovers', async () => {
    const replies = [503, 429, 500];
    fake.server.handle(() => {
      const status = replies.shift();
      return status ? { status, body: 'busy' } : { status: 200, body: { invoices: [] } };
    });
    await expect(client.getInvoicesByPo('PO-1')).resolves.toEqual([]);
    expect(fake.server.requests).toHaveLength(4);
  });

  it('gives up after the retry budget with a retryable error, HTML page scrubbed into a snippet', async () => {
    fake.server.handle(() => ({ status: 502, body: `<html><body><h1>502 Bad Gateway</h1><p>Authorization: bearer ${TOKEN}</p></body></html>` }));
    const err = (await rejectionOf(client.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err).toMatchObject({ status: 502, code: 'HTTP_502', retryable: true, messages: [] });
    expect(err.bodySnippet).toContain('502 Bad Gateway');
    expect(errorText(err)).not.toContain(TOKEN);
    expect(fake.server.requests).toHaveLength(4);
  });

  it('does not retry other 4xx such as 403 or 422', async () => {
    for (const status of [403, 422]) {
      fake.server.requests.length = 0;
      fake.server.handle(() => ({ status, body: { messages: [] } }));
      await expect(client.getInvoicesByPo('PO-1')).rejects.toMatchObject({ status, retryable: false });
      expect(fake.server.requests).toHaveLength(1);
    }
  });

  it('treats a 2xx with malformed JSON as a typed error: retried for reads, not for writes', async () => {
    fake.server.handle(() => ({ status: 200, body: '{"invoices": [' }));
    const read = (await rejectionOf(client.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(read).toMatchObject({ code: 'MALFORMED_RESPONSE', retryable: true, status: 200 });
    expect(fake.server.requests).toHaveLength(4);

    fake.server.requests.length = 0;
    fake.server.handle(() => ({ status: 202, body: '<html>accepted</html>' }));
    const write = (await rejectionOf(client.acknowledge(['PO-1']))) as DscoApiError;
    expect(write).toMatchObject({ code: 'MALFORMED_RESPONSE', retryable: false, status: 202 });
    expect(fake.server.requests).toHaveLength(1);
  });

  it('treats JSON of the wrong shape as UNEXPECTED_RESPONSE', async () => {
    fake.server.handle(() => ({ status: 200, body: { invoice: 'singular' } }));
    await expect(client.getInvoicesByPo('PO-1')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: false });
  });

  it('honours Retry-After before trying again', async () => {
    let first = true;
    fake.server.handle(() => {
      if (!first) return { status: 200, body: { invoices: [] } };
      first = false;
      return { status: 429, headers: { 'retry-after': '1' } };
    });
    const { logger, lines } = makeMemoryLogger();
    const logged = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url, retry: { attempts: 3, baseMs: 1, maxMs: 5_000 }, logger });
    await logged.getInvoicesByPo('PO-1');
    const retry = lines.find((l) => l.message === 'dsco call failed, retrying');
    expect(retry).toMatchObject({ endpoint: '/invoice', status: 429, delayMs: 1000 });
  });

  it('times out a hung request with a retryable ETIMEDOUT error', async () => {
    fake.server.handle(() => ({ status: 200, body: { invoices: [] }, delayMs: 5_000 }));
    const impatient = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url, timeoutMs: 100, retry: { attempts: 2, baseMs: 1, maxMs: 1 } });
    const err = (await rejectionOf(impatient.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toMatchObject({ code: 'ETIMEDOUT', retryable: true, status: undefined });
    expect(fake.server.requests).toHaveLength(2);
  });

  it('turns a refused connection into a retryable network error', async () => {
    const dead = await startFakeServer();
    const url = dead.url;
    await dead.close();
    const orphan = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: url, retry: { attempts: 2, baseMs: 1, maxMs: 1 } });
    await expect(orphan.getInvoicesByPo('PO-1')).rejects.toMatchObject({ code: 'ECONNREFUSED', retryable: true });
  });

  it('stops at once when the caller aborts, rejecting with the abort reason', async () => {
    fake.server.handle(() => ({ status: 200, body: { invoices: [] }, delayMs: 5_000 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    await expect(client.getInvoicesByPo('PO-1', { signal: ac.signal })).rejects.toThrow('shutting down');
    expect(fake.server.requests).toHaveLength(1);
  });
});

describe('writes in doubt', () => {
  it('does not repeat a write that got a 5xx: it may have been applied; the error says so', async () => {
    fake.server.handle(() => ({ status: 502 }));
    const err = await client.acknowledge(['PO-1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err).toMatchObject({ inDoubt: true, retryable: false, status: 502 });
    expect(fake.server.requests).toHaveLength(1);
  });

  it('still retries a read after a 5xx', async () => {
    const replies = [503];
    fake.server.handle(() => (replies.length ? { status: replies.shift() ?? 503 } : { status: 200, body: { invoices: [] } }));
    await expect(client.getInvoicesByPo('PO-1')).resolves.toEqual([]);
    expect(fake.server.requests).toHaveLength(2);
  });
});

describe('observability', () => {
  it('reports every attempt to onCall with endpoint, outcome and code', async () => {
    const events: RemoteCallEvent[] = [];
    const counter = makeCallCounter();
    const observed = makeTestClient(fake.redis, env.redisPrefix, {
      baseUrl: fake.server.url,
      onCall: (e) => {
        events.push(e);
        counter.observe(e);
      },
    });
    const replies = [429];
    fake.server.handle(() => (replies.length ? { status: replies.shift() ?? 429 } : { status: 202, body: { status: 'success', requestId: 'r' } }));
    await observed.acknowledge(['PO-1']);
    expect(events.map(({ endpoint, outcome, code, attempt, service }) => ({ endpoint, outcome, code, attempt, service }))).toEqual([
      { service: 'dsco', endpoint: '/order/acknowledge', outcome: 'error', code: 429, attempt: 1 },
      { service: 'dsco', endpoint: '/order/acknowledge', outcome: 'ok', code: 202, attempt: 2 },
    ]);
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
    expect(counter.counts()).toEqual({ 'dsco /order/acknowledge': { ok: 1, error: 1 } });
  });
});
