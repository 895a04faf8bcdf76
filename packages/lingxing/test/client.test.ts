import { createDecipheriv, createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { makeCallCounter, type RemoteCallEvent } from '@dlsync/remote';
import {
  canonicalize,
  LingxingApiError,
  LingxingTransportError,
  makeLingxingClient,
  type LingxingClientOptions,
} from '@dlsync/lingxing';
import { formOf, startStub, tokenReply, type StubReply, type StubRequest, type StubServer } from './stub-server.js';

const env = useTestEnv();
const APP_ID = 'ak_stubtest00001';
const APP_SECRET = 'stub-app-secret-value';
const WMS = '/erp/sc/routing/wms/order/wmsOrderList';
const LIST = '/pb/mp/order/v2/list';
const ISSUE = '/api/auth-server/oauth/access-token';
const REFRESH = '/api/auth-server/oauth/refresh';

let redis: Redis;
let stub: StubServer | undefined;
let seq = 0;

beforeAll(() => {
  redis = new Redis(env.redisUrl);
});
afterAll(() => redis.disconnect());
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

type BusinessHandler = (req: StubRequest, n: number) => StubReply | Promise<StubReply>;

/** A stub Lingxing whose auth server issues tok-1, tok-2, … and whose business replies the test scripts. */
async function harness(business: BusinessHandler, overrides: Partial<LingxingClientOptions> = {}) {
  let issued = 0;
  let businessCalls = 0;
  stub = await startStub((req) => {
    if (req.path === ISSUE) return tokenReply(`tok-${++issued}`);
    if (req.path === REFRESH) return tokenReply(`tok-${++issued}`);
    return business(req, ++businessCalls);
  });
  const memory = makeMemoryLogger();
  const counter = makeCallCounter();
  const events: RemoteCallEvent[] = [];
  const keyPrefix = `${env.redisPrefix}lx${++seq}:`;
  const client = makeLingxingClient({
    baseUrl: stub.url,
    appId: APP_ID,
    appSecret: APP_SECRET,
    redis,
    keyPrefix,
    retry: { attempts: 4, baseMs: 5, maxMs: 20 },
    timeoutMs: 2_000,
    logger: memory.logger,
    onCall: (e) => {
      events.push(e);
      counter.observe(e);
    },
    ...overrides,
  });
  const requestsTo = (path: string): StubRequest[] => stub!.requests.filter((r) => r.path === path);
  return { client, stub, memory, events, keyPrefix, requestsTo, issuedCount: () => issued };
}

const ok = (data: unknown, extra: Record<string, unknown> = {}): StubReply => ({
  json: { code: 0, message: 'success', request_id: 'req-1', data, ...extra },
});
const emptyWms: BusinessHandler = () => ok([], { total: 0 });
const wmsParams = { page: 1, page_size: 200, sid_arr: ['1'], platform_order_no_arr: ['PO-1'] };

/** Fails the test if any secret ever reached an error or a log line. */
function expectNoSecrets(texts: unknown[], secrets: string[]): void {
  const flatten = (t: unknown): string =>
    t instanceof Error ? [t.message, t.stack, JSON.stringify({ ...t })].join('\n') : typeof t === 'string' ? t : JSON.stringify(t);
  const haystack = texts.map(flatten).join('\n');
  for (const secret of secrets) expect(haystack).not.toContain(secret);
}

describe('request shape', () => {
  it('signs every call: query access_token, app_key, 10-digit timestamp from the clock, sign over the exact JSON body', async () => {
    const h = await harness(emptyWms, { clock: () => 1_700_000_123_456 });
    const params = { page: 1, page_size: 50, sid_arr: ['3', '1'], platform_order_no_arr: ['PO-é', 'PO-2'], status_arr: [3] };
    await h.client.wmsOrderList(params);

    const [issue] = h.requestsTo(ISSUE);
    // Form fields as the auth reference documents them; the secret never rides in the URL.
    expect(issue?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(await formOf(issue!)).toEqual({ appId: APP_ID, appSecret: APP_SECRET });
    expect([...issue!.query.keys()]).toEqual([]);

    const [req] = h.requestsTo(WMS);
    expect(req).toBeDefined();
    const query = Object.fromEntries(req!.query);
    expect(query).toMatchObject({ access_token: 'tok-1', app_key: APP_ID, timestamp: '1700000123' });
    expect(req!.body).toBe(
      '{"page":1,"page_size":50,"platform_order_no_arr":["PO-é","PO-2"],"sid_arr":[3,1],"status_arr":[3]}',
    );
    const { sign, ...signed } = query;
    const canonical = canonicalize({ ...JSON.parse(req!.body), ...signed });
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(APP_ID), null);
    const md5 = Buffer.concat([decipher.update(Buffer.from(sign!, 'base64')), decipher.final()]).toString();
    expect(md5).toBe(createHash('md5').update(canonical).digest('hex').toUpperCase());
  });

  it('normalises the /erp/sc envelope: rows in data, total beside it as a string, numbers as strings, unknown fields kept', async () => {
    const h = await harness(() =>
      ok(
        [
          {
            order_number: 'WO-1',
            platform_order_no: ['PO-1'],
            tracking_no: 'TRK',
            delivered_at: '2025-03-01 10:00:00',
            stock_delivered_at: '',
            status: '3',
            sid: 12,
            wid: '5',
            product_info: [{ sku: 'SKU', seller_sku: 'M', count: '2', extra: true }],
            brand_new_field: 'kept',
          },
        ],
        { total: '1', response_time: '2025-03-01 10:00:01', error_details: [] },
      ),
    );
    const page = await h.client.wmsOrderList(wmsParams);
    expect(page.total).toBe(1);
    expect(page.list[0]).toMatchObject({ status: 3, sid: '12', wid: '5', brand_new_field: 'kept' });
    expect(page.list[0]?.product_info[0]).toMatchObject({ count: 2, extra: true });
    expect(h.client.parseTime(page.list[0]!.delivered_at)?.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(h.client.parseTime(page.list[0]!.stock_delivered_at)).toBeNull();
  });

  it('normalises the /pb/mp envelope: data {total: "N", list}, null arrays become []', async () => {
    const h = await harness(() =>
      ok({
        total: '2',
        list: [
          { global_order_no: 1001, store_id: '7', status: '5', platform_info: [{ platform_order_no: 'PO-1' }], item_info: null },
          { global_order_no: '1002', store_id: 7, status: 6, platform_info: [], item_info: [{ msku: 'M', local_sku: 'S', quantity: '3' }] },
        ],
      }),
    );
    const page = await h.client.listOrders({ platform_order_nos: ['PO-1'], offset: 0, length: 500, include_delete: false });
    expect(page.total).toBe(2);
    expect(page.list.map((o) => [o.global_order_no, o.store_id, o.status])).toEqual([
      ['1001', '7', 5],
      ['1002', '7', 6],
    ]);
    expect(page.list[0]?.item_info).toEqual([]);
    expect(page.list[1]?.item_info[0]).toMatchObject({ msku: 'M', local_sku: 'S', quantity: 3 });
  });

  it('reads 18-digit integer ids exactly (never through a JS number)', async () => {
    const h = await harness(() => ({
      text: '{"code":0,"message":"ok","data":{"error_details":[],"success_details":[{"platform_order_no":"PO-1","global_order_no":103336708973801473}]}}',
    }));
    const result = await h.client.createOrders({ platform_code: 10009, store_id: '110283406273996288', orders: [] });
    expect(result.success_details).toEqual([{ platform_order_no: 'PO-1', global_order_no: '103336708973801473' }]);
  });

  it('cancelOrders sends order_list as digit strings and reads per-order failures; a non-decimal id is refused before any call', async () => {
    // The failure's number arrives as an 18-digit JSON integer (raw text: a JS literal would round it).
    const h = await harness(() => ({
      text: '{"code":0,"message":"ok","data":{"success_num":1,"fail_num":1,"process_code":10001,"failure_info":[{"global_order_no":103205360858531841,"message":"order does not exist"}]}}',
    }));
    const result = await h.client.cancelOrders({ order_list: ['103430576541848064', '103205360858531841'] });
    expect(result).toMatchObject({ success_num: 1, fail_num: 1, process_code: 10001, failure_info: [{ global_order_no: '103205360858531841', message: 'order does not exist' }] });
    const [req] = h.requestsTo('/pb/mp/order/v2/cancelOrder');
    expect(req?.body).toBe('{"order_list":["103430576541848064","103205360858531841"]}');
    await expect(h.client.cancelOrders({ order_list: ['1e18'] })).rejects.toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(h.requestsTo('/pb/mp/order/v2/cancelOrder')).toHaveLength(1);
  });

  it('converts warehouse-local times with the configured timezone', async () => {
    const h = await harness(emptyWms, { timezone: 'Asia/Shanghai' });
    expect(h.client.parseTime('2025-03-01 10:00:00')?.toISOString()).toBe('2025-03-01T02:00:00.000Z');
    expect(h.client.parseTime('0000-00-00 00:00:00')).toBeNull();
  });
});

describe('errors', () => {
  it('surfaces a gateway error with a string code (2001006) as a non-retryable LingxingApiError, tried once', async () => {
    const h = await harness(() => ({ json: { code: '2001006', msg: 'api sign not correct', traceId: 'trace-9' } }));
    const err = await h.client.wmsOrderList(wmsParams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LingxingApiError);
    expect(err).toMatchObject({ code: '2001006', retryable: false, endpoint: WMS, request_id: 'trace-9' });
    expect((err as Error).message).toContain('api sign not correct');
    expect(h.requestsTo(WMS)).toHaveLength(1);
  });

  it('re-signs once with a fresh timestamp on 2001007, then gives up', async () => {
    let now = 1_700_000_000_000;
    const h = await harness(() => ({ json: { code: 2001007, msg: 'sign expired' } }), { clock: () => (now += 1_000) });
    await expect(h.client.wmsOrderList(wmsParams)).rejects.toMatchObject({ code: '2001007', retryable: false });
    const stamps = h.requestsTo(WMS).map((r) => r.query.get('timestamp'));
    expect(stamps).toHaveLength(2);
    expect(stamps[0]).not.toBe(stamps[1]);
  });

  it('turns an HTML 502 page into a retryable typed error after the retry budget', async () => {
    const h = await harness(() => ({ status: 502, text: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' }));
    const err = await h.client.wmsOrderList(wmsParams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LingxingTransportError);
    expect(err).toMatchObject({ code: 'HTTP_502', retryable: true, httpStatus: 502 });
    expect((err as Error).message).toContain('not JSON (text/html)');
    expect(h.requestsTo(WMS)).toHaveLength(4);
    expect(h.events.filter((e) => e.endpoint === WMS).map((e) => [e.attempt, e.outcome, e.code])).toEqual([
      [1, 'error', 'HTTP_502'],
      [2, 'error', 'HTTP_502'],
      [3, 'error', 'HTTP_502'],
      [4, 'error', 'HTTP_502'],
    ]);
  });

  it('turns malformed JSON on a 200 into a non-retryable INVALID_RESPONSE, tried once', async () => {
    const h = await harness(() => ({ text: '{"code":0,"data":[{"order_', contentType: 'application/json' }));
    await expect(h.client.wmsOrderList(wmsParams)).rejects.toMatchObject({
      name: 'LingxingTransportError',
      code: 'INVALID_RESPONSE',
      retryable: false,
    });
    expect(h.requestsTo(WMS)).toHaveLength(1);
  });

  it('turns a payload of the wrong shape into INVALID_RESPONSE naming the path', async () => {
    const h = await harness(() => ok([{ status: 'not-a-number' }], { total: 1 }));
    await expect(h.client.wmsOrderList(wmsParams)).rejects.toThrow(/list\.0\.status/);
  });

  it('backs off and retries throttling (3001008 and 103) and 5xx, then succeeds', async () => {
    const script: StubReply[] = [
      { json: { code: 3001008, msg: 'too many requests' } },
      { json: { code: '103', msg: 'rate limited' } },
      { status: 503, json: { code: 500, msg: 'busy' } },
    ];
    let now = 1_700_000_000_000;
    const h = await harness((_req, n) => script[n - 1] ?? ok([], { total: 0 }), { clock: () => (now += 1_000) });
    await expect(h.client.wmsOrderList(wmsParams)).resolves.toEqual({ total: 0, list: [] });
    expect(h.events.filter((e) => e.endpoint === WMS).map((e) => [e.attempt, e.outcome, e.code])).toEqual([
      [1, 'error', '3001008'],
      [2, 'error', '103'],
      [3, 'error', '500'],
      [4, 'ok', undefined],
    ]);
    // Every attempt is signed anew with its own timestamp.
    const attempts = h.requestsTo(WMS);
    expect(new Set(attempts.map((r) => r.query.get('timestamp'))).size).toBe(4);
    expect(new Set(attempts.map((r) => r.query.get('sign'))).size).toBe(4);
  });

  it('times out a hanging request and reports a retryable timeout', async () => {
    const h = await harness(() => ({ delayMs: 1_000, ...ok([], { total: 0 }) }), { timeoutMs: 100, retry: { attempts: 2, baseMs: 1, maxMs: 1 } });
    await expect(h.client.wmsOrderList(wmsParams)).rejects.toMatchObject({ code: 'ETIMEDOUT', retryable: true });
    expect(h.requestsTo(WMS)).toHaveLength(2);
  });

  it('stops a call as soon as its AbortSignal fires', async () => {
    const h = await harness(() => ({ delayMs: 5_000, ...ok([], { total: 0 }) }));
    const controller = new AbortController();
    const call = expect(h.client.wmsOrderList(wmsParams, { signal: controller.signal })).rejects.toThrow('shutting down');
    // Abort once the request is on the wire (a fixed delay races the token fetch on a busy machine).
    for (let i = 0; i < 500 && h.requestsTo(WMS).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('shutting down'));
    await call;
    expect(h.requestsTo(WMS)).toHaveLength(1);
  });
});

describe('token', () => {
  it('stores one token in Redis under the key prefix and reuses it across calls', async () => {
    const h = await harness(emptyWms);
    await h.client.wmsOrderList(wmsParams);
    await h.client.wmsOrderList(wmsParams);
    expect(h.requestsTo(ISSUE)).toHaveLength(1);
    const stored = JSON.parse((await redis.get(`${h.keyPrefix}token:${APP_ID}`))!) as Record<string, unknown>;
    expect(stored).toMatchObject({ access_token: 'tok-1', refresh_token: 'refresh-tok-1' });
  });

  it('renews a rejected token once (via refresh_token) and repeats the call', async () => {
    const h = await harness((req) =>
      req.query.get('access_token') === 'tok-1' ? { json: { code: '2001003', msg: 'access token expired' } } : ok([], { total: 0 }),
    );
    await expect(h.client.wmsOrderList(wmsParams)).resolves.toEqual({ total: 0, list: [] });
    expect(await Promise.all(h.requestsTo(REFRESH).map(async (r) => (await formOf(r)).refreshToken))).toEqual(['refresh-tok-1']);
    expect(h.requestsTo(REFRESH).every((r) => !r.query.has('refreshToken'))).toBe(true);
    expect(h.requestsTo(WMS).map((r) => r.query.get('access_token'))).toEqual(['tok-1', 'tok-2']);
  });

  it('renews only once per call: a second rejection is thrown', async () => {
    const h = await harness(() => ({ json: { code: '2001005', msg: 'token not match' } }));
    await expect(h.client.wmsOrderList(wmsParams)).rejects.toMatchObject({ code: '2001005' });
    expect(h.requestsTo(WMS)).toHaveLength(2);
  });

  it('retries a renewal that failed transiently together with the call', async () => {
    let issued = 0;
    let refreshes = 0;
    stub = await startStub((req) => {
      if (req.path === ISSUE) return tokenReply(`tok-${++issued}`);
      if (req.path === REFRESH) return ++refreshes === 1 ? { status: 503, text: 'busy', contentType: 'text/plain' } : tokenReply(`tok-${++issued}`);
      return req.query.get('access_token') === 'tok-1' ? { json: { code: '2001003', msg: 'expired' } } : ok([], { total: 0 });
    });
    const client = makeLingxingClient({
      baseUrl: stub.url,
      appId: APP_ID,
      appSecret: APP_SECRET,
      redis,
      keyPrefix: `${env.redisPrefix}lx${++seq}:`,
      retry: { attempts: 3, baseMs: 1, maxMs: 5 },
    });
    await expect(client.wmsOrderList(wmsParams)).resolves.toEqual({ total: 0, list: [] });
    expect(stub.requests.map((r) => r.path)).toEqual([ISSUE, WMS, REFRESH, WMS, REFRESH, WMS]);
    expect(stub.requests.filter((r) => r.path === WMS).map((r) => r.query.get('access_token'))).toEqual(['tok-1', 'tok-1', 'tok-2']);
  });

  it('falls back to a brand-new token when the refresh token is refused (2001008)', async () => {
    let issued = 0;
    stub = await startStub((req) => {
      if (req.path === ISSUE) return tokenReply(`fresh-${++issued}`);
      if (req.path === REFRESH) return { json: { code: '2001008', msg: 'refresh token invalid' } };
      return req.query.get('access_token') === 'fresh-1' ? { json: { code: 2001003, msg: 'expired' } } : ok([], { total: 0 });
    });
    const client = makeLingxingClient({ baseUrl: stub.url, appId: APP_ID, appSecret: APP_SECRET, redis, keyPrefix: `${env.redisPrefix}lx${++seq}:` });
    await expect(client.wmsOrderList(wmsParams)).resolves.toEqual({ total: 0, list: [] });
    expect(stub.requests.map((r) => r.path)).toEqual([ISSUE, WMS, REFRESH, ISSUE, WMS]);
  });

  it('refreshes ahead of expiry, before Lingxing rejects anything', async () => {
    let now = 1_700_000_000_000;
    const h = await harness(emptyWms, { clock: () => now });
    await h.client.wmsOrderList(wmsParams);
    now += (7199 - 200) * 1000; // under 5 minutes left
    await h.client.wmsOrderList(wmsParams);
    expect(h.requestsTo(REFRESH)).toHaveLength(1);
    expect(h.requestsTo(WMS).map((r) => r.query.get('access_token'))).toEqual(['tok-1', 'tok-2']);
  });

  it('two processes hit by the same rejection renew exactly once', async () => {
    const h = await harness((req) =>
      req.query.get('access_token') === 'stale' ? { delayMs: 20, json: { code: '2001003', msg: 'expired' } } : ok({ total: 0, list: [] }),
    );
    const other = new Redis(env.redisUrl);
    try {
      const second = makeLingxingClient({ baseUrl: h.stub.url, appId: APP_ID, appSecret: APP_SECRET, redis: other, keyPrefix: h.keyPrefix });
      // Both processes start from the same shared token, which Lingxing is about to reject.
      await redis.set(`${h.keyPrefix}token:${APP_ID}`, JSON.stringify({ access_token: 'stale', refresh_token: 'r', expires_at: Date.now() + 3_600_000 }));
      const calls = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? h.client : second).listOrders({ offset: 0, length: 1, include_delete: false }),
      );
      await expect(Promise.all(calls)).resolves.toHaveLength(12);
      expect(h.requestsTo(ISSUE)).toHaveLength(0);
      expect(await Promise.all(h.requestsTo(REFRESH).map(async (r) => (await formOf(r)).refreshToken))).toEqual(['r']);
      const used = h.requestsTo(LIST).map((r) => r.query.get('access_token'));
      expect(used.filter((t) => t === 'stale')).toHaveLength(12);
      expect(used.filter((t) => t === 'tok-1')).toHaveLength(12);
    } finally {
      other.disconnect();
    }
  });
});

describe('secrets', () => {
  it('never puts the access token, app secret or sign in an error or a log line', async () => {
    const h = await harness((req, n) =>
      n <= 2
        ? { status: 500, json: { code: 500, msg: `internal error for ${req.query.get('access_token')} sign=${req.query.get('sign')}` } }
        : { json: { code: '2001006', msg: 'sign wrong' } },
    );
    const err = await h.client.wmsOrderList(wmsParams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LingxingApiError);
    const signs = h.requestsTo(WMS).map((r) => r.query.get('sign')!);
    // The server echoed the token into its message; the retry log shows it scrubbed.
    expect(JSON.stringify(h.memory.lines)).toContain('internal error for [redacted]');
    expectNoSecrets([err, (err as Error).message, (err as Error).stack, h.memory.lines], ['tok-1', APP_SECRET, ...signs]);
  });
});
