import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeLingxingClient, type LingxingClient } from '@dlsync/lingxing';
import { startStub, tokenReply, type StubReply, type StubRequest, type StubServer } from './stub-server.js';

const env = useTestEnv();
const APP_ID = 'ak_stubtest00002';
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

type Body = Record<string, unknown>;

/** A stub whose business endpoint answers from the parsed body; returns the client and the bodies it received. */
async function harness(reply: (path: string, body: Body) => StubReply): Promise<{ client: LingxingClient; bodies: (path: string) => Body[] }> {
  stub = await startStub((req: StubRequest) =>
    req.path.startsWith('/api/auth-server') ? tokenReply('tok') : reply(req.path, JSON.parse(req.body) as Body),
  );
  const client = makeLingxingClient({ baseUrl: stub.url, appId: APP_ID, appSecret: 's', redis, keyPrefix: `${env.redisPrefix}lh${++seq}:` });
  const bodies = (path: string): Body[] => stub!.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Body);
  return { client, bodies };
}

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describe('listOrdersByPo', () => {
  it('chunks POs to 200 per call, pages each chunk by 500, and returns every order', async () => {
    const pos = range(450, (i) => `PO-${i}`);
    // Every PO has 3 sub-orders, so a chunk of 200 POs spans two pages of 500.
    const h = await harness((_path, body) => {
      const orders = (body.platform_order_nos as string[]).flatMap((po) =>
        [1, 2, 3].map((k) => ({ global_order_no: `${po}-${k}`, store_id: '1', status: 5, platform_info: [{ platform_order_no: po }], item_info: [] })),
      );
      const offset = body.offset as number;
      return { json: { code: 0, data: { total: String(orders.length), list: orders.slice(offset, offset + (body.length as number)) } } };
    });
    const orders = await h.client.listOrdersByPo([...pos, 'PO-0'], { store_id: ['1'] });
    expect(orders).toHaveLength(450 * 3);
    expect(new Set(orders.map((o) => o.global_order_no)).size).toBe(1350);
    const calls = h.bodies('/pb/mp/order/v2/list');
    expect(calls.map((b) => (b.platform_order_nos as string[]).length).sort()).toEqual([200, 200, 200, 200, 50]);
    expect(calls.every((b) => b.length === 500 && b.include_delete === false)).toBe(true);
    expect(calls.every((b) => JSON.stringify(b.store_id) === '["1"]')).toBe(true);
    expect(calls.filter((b) => (b.platform_order_nos as string[]).length === 200).map((b) => b.offset).sort()).toEqual([0, 0, 500, 500]);
  });

  it('makes no call for an empty PO list', async () => {
    const h = await harness(() => ({ json: { code: 0, data: { total: 0, list: [] } } }));
    await expect(h.client.listOrdersByPo([])).resolves.toEqual([]);
    expect(h.bodies('/pb/mp/order/v2/list')).toHaveLength(0);
  });
});

describe('wmsOrdersByPo', () => {
  it('chunks POs to 200, pages from 1 with page_size 200, and passes sid_arr and status_arr', async () => {
    const pos = range(250, (i) => `PO-${i}`);
    const h = await harness((_path, body) => {
      const rows = (body.platform_order_no_arr as string[]).flatMap((po) =>
        [1, 2].map((k) => ({ order_number: `${po}-${k}`, platform_order_no: [po], status: 3, product_info: [] })),
      );
      const start = ((body.page as number) - 1) * (body.page_size as number);
      return { json: { code: 0, data: rows.slice(start, start + (body.page_size as number)), total: rows.length } };
    });
    const rows = await h.client.wmsOrdersByPo(pos, ['7', '8'], { status_arr: [3] });
    expect(rows).toHaveLength(500);
    const calls = h.bodies('/erp/sc/routing/wms/order/wmsOrderList');
    expect(calls.map((b) => [(b.platform_order_no_arr as string[]).length, b.page])).toEqual([
      [200, 1],
      [200, 2],
      [50, 1],
    ]);
    expect(calls.every((b) => b.page_size === 200 && JSON.stringify(b.sid_arr) === '[7,8]' && JSON.stringify(b.status_arr) === '[3]')).toBe(true);
  });
});

describe('allInventory and allPairs', () => {
  it('pages inventory by 800 over comma-joined warehouse ids', async () => {
    const h = await harness((_path, body) => {
      const total = 1700;
      const offset = body.offset as number;
      const list = range(Math.max(0, Math.min(body.length as number, total - offset)), (i) => `SKU-${offset + i}`).map((sku) => ({
        wid: '1',
        sku,
        product_valid_num: '4',
      }));
      return { json: { code: 0, data: list, total } };
    });
    const rows = await h.client.allInventory(['1', '2', '1']);
    expect(rows).toHaveLength(1700);
    expect(rows[1699]).toMatchObject({ sku: 'SKU-1699', product_valid_num: 4 });
    expect(h.bodies('/erp/sc/routing/data/local_inventory/inventoryDetails').map((b) => [b.wid, b.offset, b.length])).toEqual([
      ['1,2', 0, 800],
      ['1,2', 800, 800],
      ['1,2', 1600, 800],
    ]);
  });

  it('pages pairs until the listing is exhausted, even if total overstates it', async () => {
    const h = await harness((_path, body) => {
      const offset = body.offset as number;
      const list = offset === 0 ? [{ store_id: '1', msku: 'M', sku: 'S', platform_code: '10008', pair_time: '' }] : [];
      return { json: { code: 0, data: { total: '5', list } } };
    });
    const pairs = await h.client.allPairs(['1', '2'], '10008');
    expect(pairs).toEqual([{ store_id: '1', msku: 'M', sku: 'S', platform_code: '10008', pair_time: '' }]);
    expect(h.bodies('/pb/mp/listing/v2/getPairList').map((b) => [b.offset, JSON.stringify(b.store_ids), JSON.stringify(b.platform_codes)])).toEqual([
      [0, '["1","2"]', '["10008"]'],
      [1, '["1","2"]', '["10008"]'],
    ]);
  });
});
