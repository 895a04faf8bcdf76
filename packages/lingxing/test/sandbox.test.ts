import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import type { RemoteCallEvent } from '@dlsync/remote';
import { startSandbox } from '@dlsync/sandbox';
import {
  LINGXING_ENDPOINTS,
  LingxingApiError,
  LingxingError,
  makeLingxingClient,
  type LingxingClient,
  type LingxingClientOptions,
} from '@dlsync/lingxing';
import { startTamperProxy } from './tamper-proxy.js';

const env = useTestEnv();
const APP_ID = 'ak_sandbox000001';
const APP_SECRET = 'sandbox-app-secret';
const WMS = LINGXING_ENDPOINTS.wmsOrderList;
const WINDOW = { time_type: 'create_at', start_date: '2025-01-01', end_date: '2099-12-31' } as const;

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
const connections: Redis[] = [];
let seq = 0;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  try {
    // Every sandbox-backed test ends with the client having kept to the published contract.
    sandbox.assertNoViolations();
  } finally {
    await sandbox.close();
  }
});
afterAll(() => {
  for (const c of connections) c.disconnect();
});

function redisConnection(): Redis {
  const connection = new Redis(env.redisUrl);
  connections.push(connection);
  return connection;
}

interface Worker {
  client: LingxingClient;
  events: RemoteCallEvent[];
  logLines: Record<string, unknown>[];
}

/** A client as one worker process would build it: own Redis connection, shared key prefix. */
function worker(keyPrefix: string, overrides: Partial<LingxingClientOptions> = {}): Worker {
  const { onCall, ...rest } = overrides;
  const events: RemoteCallEvent[] = [];
  const memory = makeMemoryLogger();
  const client = makeLingxingClient({
    baseUrl: sandbox.lingxingUrl,
    appId: APP_ID,
    appSecret: APP_SECRET,
    redis: redisConnection(),
    keyPrefix,
    retry: { attempts: 5, baseMs: 10, maxMs: 100 },
    timeoutMs: 5_000,
    logger: memory.logger,
    onCall: (e) => {
      events.push(e);
      onCall?.(e);
    },
    ...rest,
  });
  return { client, events, logLines: memory.lines };
}

const freshPrefix = (): string => `${env.redisPrefix}sbx${++seq}:`;
const lingxingTokenWrites = (): number => sandbox.state().writes.tokens.filter((t) => t.side === 'lingxing').length;
const storeIds = (): string[] => sandbox.world.catalog.retailers.map((r) => r.storeId);

function order(po: string, msku = 'DL-1001', sku = 'LX-1001') {
  return {
    platform_order_no: po,
    receiver_country_code: 'US',
    receiver_name: 'Zoë 张',
    city: 'Newark',
    address_line1: '1 Main St',
    postal_code: '07102',
    items: [{ msku, sku, quantity: 1, unit_price: '19.99' }],
  };
}

async function storedToken(keyPrefix: string): Promise<string> {
  const raw = await redisConnection().get(`${keyPrefix}token:${APP_ID}`);
  return (JSON.parse(raw ?? '{}') as { access_token?: string }).access_token ?? '';
}

describe('round trips against the sandbox', () => {
  it('creates orders, lists them by PO, reads their WMS outbound records once shipped', async () => {
    const { client } = worker(freshPrefix());
    const [store] = storeIds();
    const pos = ['LXRT-1', 'LXRT-2', 'LXRT-3'];
    const created = await client.createOrders({ platform_code: 10009, store_id: store!, orders: pos.map((po) => order(po)) });
    expect(created.success_details.map((d) => d.platform_order_no).sort()).toEqual(pos);
    expect(created.error_details).toEqual([]);

    const duplicate = await client.createOrders({ platform_code: 10009, store_id: store!, orders: [order('LXRT-1')] });
    expect(duplicate.success_details).toEqual([]);
    expect(duplicate.error_details[0]).toMatchObject({ platform_order_no: 'LXRT-1' });
    expect(duplicate.error_details[0]?.error_message).toMatch(/exists/);

    const orders = await client.listOrdersByPo([...pos, 'NOT-THERE']);
    expect(orders.flatMap((o) => o.platform_info.map((p) => p.platform_order_no)).sort()).toEqual(pos);
    expect(orders.every((o) => o.store_id === store && typeof o.status === 'number')).toBe(true);
    expect(orders[0]?.item_info[0]).toMatchObject({ msku: 'DL-1001', local_sku: 'LX-1001', quantity: 1 });

    sandbox.clock.advance(3 * 3600_000); // past the simulated ship time
    const shipped = await client.wmsOrdersByPo(pos, [store!], { status_arr: [3] });
    expect(shipped.length).toBeGreaterThanOrEqual(pos.length);
    for (const record of shipped) {
      expect(record.status).toBe(3);
      expect(record.tracking_no).not.toBe('');
      expect(pos).toEqual(expect.arrayContaining(record.platform_order_no));
      expect(client.parseTime(record.delivered_at || record.stock_delivered_at)).toBeInstanceOf(Date);
    }
    const listed = await client.listOrders({ platform_order_nos: pos, offset: 0, length: 500, include_delete: false });
    expect(listed.list.every((o) => o.status === 6)).toBe(true);
  }, 30_000);

  it('reads every inventory row of the mapped warehouses and every SKU pair', async () => {
    const { client } = worker(freshPrefix());
    const wids = sandbox.world.catalog.warehouses.map((w) => w.wid);
    const rows = await client.allInventory(wids);
    expect(rows).toHaveLength(sandbox.world.catalog.inventory.size);
    for (const row of rows) expect(sandbox.world.catalog.inventory.get(`${row.wid}|${row.sku}`)).toBe(row.product_valid_num);

    const one = await client.inventoryDetails({ wid: wids[0]!, offset: 0, length: 5 });
    expect(one.list).toHaveLength(5);
    expect(one.total).toBe(rows.filter((r) => r.wid === wids[0]).length);

    const pairs = await client.allPairs(storeIds(), '10009');
    const paired = sandbox.world.catalog.skus.filter((s) => s.paired);
    expect(pairs).toHaveLength(paired.length * storeIds().length);
    expect(pairs).toContainEqual(expect.objectContaining({ msku: 'DL-1001', sku: 'LX-1001', platform_code: '10009' }));
    const page = await client.getPairList({ offset: 0, length: 2, platform_codes: ['10009'], store_ids: [storeIds()[0]!] });
    expect(page).toMatchObject({ total: paired.length });
    expect(page.list).toHaveLength(2);
  }, 30_000);
});

describe('18-digit ids', () => {
  it('writes store id 110283406273996288 into sid_arr as exactly those digits and reads 18-digit ids back exactly', async () => {
    const bodies: string[] = [];
    const proxy = await startTamperProxy(sandbox.lingxingUrl, (body) => {
      bodies.push(body);
      return body;
    });
    try {
      const { client } = worker(freshPrefix(), { baseUrl: proxy.url });
      const store = '110283406273996288';
      expect(storeIds()).toContain(store);
      const created = await client.createOrders({ platform_code: 10009, store_id: store, orders: [order('LX18-1')] });
      const global = created.success_details[0]?.global_order_no;
      expect(global).toMatch(/^\d{18}$/);
      expect(sandbox.world.lingxing.byPo('LX18-1').map((o) => o.globalOrderNo)).toEqual([global]);
      sandbox.clock.advance(3 * 3600_000);
      const [record, ...rest] = await client.wmsOrdersByPo(['LX18-1'], [store], { status_arr: [3] });
      expect(rest).toEqual([]);
      expect(record).toMatchObject({ sid: store, order_number: global });
      const wmsBody = bodies.find((b) => b.includes('"platform_order_no_arr":["LX18-1"]'));
      expect(wmsBody).toContain('"sid_arr":[110283406273996288]');
      expect(bodies.find((b) => b.includes('"orders"'))).toContain('"store_id":"110283406273996288"');
    } finally {
      await proxy.close();
    }
  }, 20_000);
});

describe('gateway rejections', () => {
  it('a body changed after signing is rejected with 2001006 and surfaced as LingxingApiError', async () => {
    const proxy = await startTamperProxy(sandbox.lingxingUrl, (body) => body.replace('"page_size":200', '"page_size":199'));
    try {
      const { client } = worker(freshPrefix(), { baseUrl: proxy.url });
      const err = await client.wmsOrderList({ page: 1, page_size: 200, sid_arr: [], platform_order_no_arr: ['X'], ...WINDOW }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LingxingApiError);
      expect(err).toMatchObject({ code: '2001006', retryable: false, endpoint: WMS });
      expect(sandbox.state().calls[`lingxing ${WMS}`]?.codes?.['2001006']).toBe(1);
    } finally {
      await proxy.close();
    }
  }, 20_000);

  it('a timestamp older than 2 minutes is rejected with 2001007 (re-signed once, still old) and surfaced', async () => {
    const { client } = worker(freshPrefix(), { clock: () => Date.now() - 10 * 60_000 });
    const err = await client.wmsOrderList({ page: 1, page_size: 20, sid_arr: [], platform_order_no_arr: ['X'], ...WINDOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LingxingApiError);
    expect(err).toMatchObject({ code: '2001007', retryable: false });
    expect(sandbox.state().calls[`lingxing ${WMS}`]?.codes?.['2001007']).toBe(2);
  }, 20_000);
});

describe('shared token', () => {
  it('token expiry in the middle of a batch: every call succeeds after exactly one renewal', async () => {
    const prefix = freshPrefix();
    let ok = 0;
    // After the 5th successful call, simulated time jumps past the token's 7199 s lifetime.
    const onCall = (e: RemoteCallEvent): void => {
      if (e.endpoint === LINGXING_ENDPOINTS.listOrders && e.outcome === 'ok' && ++ok === 5) sandbox.clock.advance(7200_000);
    };
    const workers = [worker(prefix, { onCall }), worker(prefix, { onCall })];
    await workers[0]!.client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] });
    const before = lingxingTokenWrites();
    const batch = workers.flatMap((w) => Array.from({ length: 15 }, () => w.client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] })));
    await expect(Promise.all(batch)).resolves.toHaveLength(30);
    expect(ok).toBe(31);
    expect(sandbox.state().calls[`lingxing ${LINGXING_ENDPOINTS.listOrders}`]?.codes?.['2001003']).toBeGreaterThan(0);
    expect(lingxingTokenWrites()).toBe(before + 1);
  }, 30_000);

  it('a revoked token is replaced once for two workers (refresh refused → new token)', async () => {
    const prefix = freshPrefix();
    const a = worker(prefix);
    const b = worker(prefix);
    await a.client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] });
    const issuesBefore = sandbox.state().writes.tokens.filter((t) => t.side === 'lingxing' && t.kind === 'issue').length;
    sandbox.faults.revokeTokens('lingxing');
    const calls = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] }));
    await expect(Promise.all(calls)).resolves.toHaveLength(10);
    const issues = sandbox.state().writes.tokens.filter((t) => t.side === 'lingxing' && t.kind === 'issue').length;
    expect(issues).toBe(issuesBefore + 1);
  }, 30_000);
});

describe('buckets', () => {
  it('two workers calling wmsOrderList concurrently never have more than 1 in flight at Lingxing', async () => {
    sandbox.faults.set({ lingxing: { latencyMs: 15 } });
    const prefix = freshPrefix();
    const workers = [worker(prefix), worker(prefix)];
    const params = { page: 1, page_size: 20, sid_arr: [], platform_order_no_arr: ['X'], ...WINDOW };
    const calls = workers.flatMap((w) => Array.from({ length: 10 }, () => w.client.wmsOrderList(params)));
    await expect(Promise.all(calls)).resolves.toHaveLength(20);
    const bucket = sandbox.state().buckets[WMS];
    expect(bucket).toMatchObject({ maxInFlight: 1, maxAttempted: 1, rejected: 0 });
    const codes = workers.flatMap((w) => w.events).map((e) => e.code);
    expect(codes).not.toContain('3001008');
  }, 30_000);
});

describe('faults', () => {
  it('under 20% 5xx + 10% throttling + some timeouts every call succeeds or fails with a typed retryable error', async () => {
    sandbox.faults.set({ lingxing: { serverErrorRate: 0.2, throttleRate: 0.1, timeoutRate: 0.03, timeoutMs: 2_000 } });
    const prefix = freshPrefix();
    const workers = [worker(prefix, { timeoutMs: 300 }), worker(prefix, { timeoutMs: 300 })];
    const calls = workers.flatMap((w, i) =>
      Array.from({ length: 20 }, (_, k) =>
        (k % 2 ? w.client.listOrders({ offset: 0, length: 5, include_delete: false, platform_order_nos: ['X'] }) : w.client.getPairList({ offset: i, length: 5, platform_codes: ['10009'], store_ids: [] })),
      ),
    );
    const results = await Promise.allSettled(calls);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(LingxingError);
      expect((failure as LingxingError).retryable).toBe(true);
    }
    expect(failures.length).toBeLessThan(results.length / 4);
    const events = workers.flatMap((w) => w.events);
    expect(events.some((e) => e.outcome === 'error')).toBe(true);
    expect(Math.max(...events.map((e) => e.attempt))).toBeLessThanOrEqual(5 + 2); // 5 tries, plus one re-sign and one token renewal
  }, 60_000);

  it('a truncated JSON body and an HTML error page become typed errors', async () => {
    const { client } = worker(freshPrefix(), { retry: { attempts: 2, baseMs: 1, maxMs: 1 } });
    await client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] });
    sandbox.faults.set({ lingxing: { endpoints: { [LINGXING_ENDPOINTS.listOrders]: { malformedRate: 1 } } } });
    await expect(client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] })).rejects.toMatchObject({
      name: 'LingxingTransportError',
      code: 'INVALID_RESPONSE',
      retryable: false,
    });
    sandbox.faults.set({ lingxing: { endpoints: { [LINGXING_ENDPOINTS.listOrders]: { serverErrorRate: 1, htmlErrorShare: 1 } } } });
    const err = await client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LingxingTransportError', retryable: true });
    expect((err as LingxingError).code).toMatch(/^HTTP_50[023]$/);
  }, 20_000);

  it('no error or log line ever contains the access token, the app secret or a sign', async () => {
    const prefix = freshPrefix();
    const w = worker(prefix, { retry: { attempts: 3, baseMs: 1, maxMs: 5 } });
    await w.client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] });
    const token = await storedToken(prefix);
    sandbox.faults.set({ lingxing: { serverErrorRate: 0.5, throttleRate: 0.3 } });
    sandbox.faults.revokeTokens('lingxing');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => w.client.listOrders({ offset: 0, length: 1, include_delete: false, platform_order_nos: ['X'] })));
    const newToken = await storedToken(prefix);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    const text = [...errors.map((e) => `${e.message}\n${e.stack}\n${JSON.stringify({ ...e })}`), JSON.stringify(w.logLines)].join('\n');
    expect(w.logLines.length).toBeGreaterThan(0);
    for (const secret of [token, newToken, APP_SECRET]) {
      expect(secret).not.toBe('');
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/sign=(?!\[redacted\])/);
  }, 30_000);
});
