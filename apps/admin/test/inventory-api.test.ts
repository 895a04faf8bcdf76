import { makeDscoClient } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import type { LingxingClient } from '@dlsync/lingxing';
import { makeSilentLogger } from '@dlsync/logger';
import { startTaskWorkers, type TaskWorkers } from '@dlsync/queue';
import { tryAcquireTaskLock } from '@dlsync/runner';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { taskRegistry } from '@dlsync/tasks';
import { BOT_TOKEN, TEST_USERS, VIEWER_TOKEN, makeAdminFixture, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();
const PARTNER_TOKEN = 'partner-inventory-token-0123456789';
const PARTNER = { authorization: `Bearer ${PARTNER_TOKEN}` };
const DIFF = '/api/v1/inventory/diff';
const SYNC = '/api/v1/inventory/sync';
let fx: AdminFixture;
let sandbox: Sandbox;
let workers: TaskWorkers;

beforeAll(async () => {
  sandbox = await startSandbox({ dscoRateLimit: { enabled: false } });
  fx = await makeAdminFixture(testEnv, { users: { ...TEST_USERS, partner: { token: PARTNER_TOKEN, role: 'inventory' } }, waitTimeoutMs: 20_000 });
  await fx.store.runtimeConfig.save({ mapping: sandbox.world.suggestedMapping() }, { expectedVersion: null, updatedBy: 'test' });
  const dsco = makeDscoClient({ baseUrl: sandbox.dscoUrl, auth: { token: sandbox.credentials.dscoToken }, redis: fx.redis, keyPrefix: `${fx.prefix}:`, retry: { attempts: 2, baseMs: 10, maxMs: 50 } });
  workers = startTaskWorkers({
    connection: fx.queueConnection,
    prefix: fx.prefix,
    tasks: ['sync_stock'],
    // A stock request never reads Lingxing: the quantities come from the request or the latest run.
    runner: { store: fx.store, dsco, lingxing: {} as LingxingClient, tasks: taskRegistry, logger: makeSilentLogger(), platformCode: 10009 },
    logger: makeSilentLogger(),
    shutdownGraceMs: 1_000,
  });
});
afterAll(async () => {
  await workers.close();
  await fx.close();
  await sandbox.close();
});
afterEach(() => sandbox.assertNoViolations());

const post = (body: unknown, headers: Record<string, string> = PARTNER) => fx.request(SYNC, { method: 'POST', headers, body });
const sentItems = () => sandbox.state().writes.dscoInventory.flatMap((w) => w.items as Array<{ sku: string; warehouses: Array<{ code: string; quantity: number }> }>);

describe('inventory API auth', () => {
  it('answers 401 without a token, 403 to other roles, and serves the inventory token', async () => {
    for (const [route, method] of [[DIFF, 'GET'], [SYNC, 'POST']] as const) {
      const anonymous = await fx.request(route, { method, ...(method === 'POST' ? { body: {} } : {}) });
      expect({ route, status: anonymous.status }).toEqual({ route, status: 401 });
      for (const token of [BOT_TOKEN, VIEWER_TOKEN]) {
        const other = await fx.request(route, { method, headers: { authorization: `Bearer ${token}` }, ...(method === 'POST' ? { body: {} } : {}) });
        expect({ route, status: other.status }).toEqual({ route, status: 403 });
        expect(other.json().error).toBe('only inventory tokens may call the inventory API');
      }
    }
    const allowed = await fx.request(`${DIFF}?day=2026-01-05`, { headers: PARTNER });
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toEqual({ day: '2026-01-05', rows: [], next_cursor: null });
  });

  it('keeps the inventory token out of the admin pages, its API and Bull Board', async () => {
    for (const [url, method] of [['/', 'GET'], ['/api/config', 'GET'], ['/api/warehouse-sync/runs', 'GET'], ['/admin/queues', 'GET'], ['/admin/queues/api/queues', 'GET'], ['/api/tasks/sync_stock/runs', 'POST'], ['/metrics', 'GET']] as const) {
      const res = await fx.request(url, { method, headers: { ...PARTNER, origin: fx.url }, ...(method === 'POST' ? { body: {} } : {}) });
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect(await fx.queues.sync_stock.getJobCounts('waiting', 'active', 'completed')).toMatchObject({ waiting: 0, active: 0 });
  });
});

describe('inventory API validation', () => {
  it.each([
    ['day=2026-02-30', 'query.day'],
    ['day=yesterday', 'query.day'],
    ['diff_only=yes', 'query.diff_only'],
    ['limit=0', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['cursor=abc', 'query.cursor'],
    ['colour=red', 'query'],
  ])('GET diff?%s answers 400 naming %s', async (qs, path) => {
    const res = await fx.request(`${DIFF}?${qs}`, { headers: PARTNER });
    expect(res.status).toBe(400);
    expect(res.json().issues[0].path).toBe(path);
  });

  const item = { sku: 'DL-1001', warehouse: 'WH-EAST', quantity: 5 };
  it.each([
    ['a negative quantity', { items: [{ ...item, quantity: -1 }] }, 'body.items.0.quantity'],
    ['a fractional quantity', { items: [{ ...item, quantity: 1.5 }] }, 'body.items.0.quantity'],
    ['an item without a warehouse', { items: [{ sku: 'DL-1001', quantity: 1 }] }, 'body.items.0.warehouse'],
    ['an empty item list', { items: [] }, 'body.items'],
    ['more than 1,000 items', { items: Array.from({ length: 1001 }, (_, i) => ({ ...item, sku: `DL-${i}` })) }, 'body.items'],
    ['the same sku and warehouse twice', { items: [item, { ...item, quantity: 9 }] }, 'body.items.1'],
    ['dry_run that is not a boolean', { dry_run: 'no' }, 'body.dry_run'],
    ['an unknown field', { items: [item], force: true }, 'body'],
  ])('POST sync with %s answers 400 naming the field and queues nothing', async (_name, body, path) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json().issues[0].path).toBe(path);
    expect(await fx.queues.sync_stock.getJobCounts('waiting', 'active', 'completed', 'failed')).toMatchObject({ waiting: 0, active: 0 });
  });
});

describe('POST /api/v1/inventory/sync', () => {
  it('answers 409 while a sync_stock run holds the lock, and queues nothing', async () => {
    const before = await fx.queues.sync_stock.getJobCounts('completed');
    const lock = await tryAcquireTaskLock(fx.store.lockPool, 'sync_stock');
    expect(lock).toBeDefined();
    try {
      const res = await post({ items: [{ sku: 'DL-1001', warehouse: 'WH-EAST', quantity: 3 }], dry_run: false });
      expect(res.status).toBe(409);
      expect(res.json().error).toMatch(/holds the lock/);
    } finally {
      await lock!.release();
    }
    expect(await fx.queues.sync_stock.getJobCounts('waiting', 'active', 'completed')).toMatchObject({ waiting: 0, active: 0, completed: before.completed });
    expect(sentItems()).toHaveLength(0);
  });

  it('is a dry run unless told otherwise: records the rows under the run id and sends nothing', async () => {
    const res = await post({ items: [{ sku: 'DL-1001', warehouse: 'WH-EAST', quantity: 7 }, { sku: 'DL-1001', warehouse: 'WH-WEST', quantity: 2 }] });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', dry_run: true, source: 'items', items: 1, request_ids: [], skipped: [] });
    expect(sentItems()).toHaveLength(0);
    const rows = await fx.store.warehouseSync.listByRun(body.run_id);
    expect(rows.map((r) => [r.warehouse_code, r.partner_sku, r.quantity, r.pushed])).toEqual([
      ['WH-EAST', 'DL-1001', 7, false],
      ['WH-WEST', 'DL-1001', 2, false],
    ]);
  });

  it('sends the given quantities with dry_run false and answers the DSCO request ids; unmapped warehouses are skipped', async () => {
    const res = await post({ dry_run: false, items: [{ sku: 'DL-1002', warehouse: 'WH-EAST', quantity: 4 }, { sku: 'DL-1002', warehouse: 'WH-NOWHERE', quantity: 1 }] });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', dry_run: false, items: 1 });
    expect(body.skipped).toEqual([{ result: 'skipped', reason: 'warehouse not in mapping.warehouse', sku: 'DL-1002', warehouse: 'WH-NOWHERE' }]);
    expect(body.request_ids).toHaveLength(1);
    const writes = sandbox.state().writes.dscoInventory;
    expect(writes.map((w) => w.requestId)).toEqual(body.request_ids);
    expect(sentItems()).toEqual([expect.objectContaining({ sku: 'DL-1002', warehouses: [{ code: 'WH-EAST', quantity: 4 }], quantityAvailable: 4 })]);
    const [row] = await fx.store.warehouseSync.listByRun(body.run_id);
    expect(row).toMatchObject({ pushed: true, dsco_request_id: body.request_ids[0] });
  });

  it('without items sends the latest recorded run again', async () => {
    const latest = (await fx.store.warehouseSync.latestRun())!;
    const res = await post({ dry_run: false });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', source: 'latest_run', source_run_id: latest.runId, items: 1 });
    expect(sentItems().at(-1)).toMatchObject({ sku: 'DL-1002', warehouses: [{ code: 'WH-EAST', quantity: 4 }] });
  });

  it('applies the safety buffer to a resent run, never below 0', async () => {
    const live = (await fx.store.runtimeConfig.latest())!;
    await fx.store.runtimeConfig.save(
      { mapping: sandbox.world.suggestedMapping(), jobs: { sync_stock: { buffer: [{ warehouse: 'WH-EAST', subtract: 3 }] } } },
      { expectedVersion: live.version, updatedBy: 'test' },
    );
    const res = await post({ dry_run: false });
    expect(res.status).toBe(200);
    expect(sentItems().at(-1)).toMatchObject({ sku: 'DL-1002', warehouses: [{ code: 'WH-EAST', quantity: 1 }], quantityAvailable: 1 });
    // The rows keep the quantity that was asked for; the buffer applies to what is sent.
    const [row] = await fx.store.warehouseSync.listByRun(res.json().run_id);
    expect(row).toMatchObject({ quantity: 4, pushed: true });
    const bigger = await fx.store.runtimeConfig.latest();
    await fx.store.runtimeConfig.save({ mapping: sandbox.world.suggestedMapping(), jobs: { sync_stock: { buffer: [{ subtract: 50 }] } } }, { expectedVersion: bigger!.version, updatedBy: 'test' });
    expect((await post({ dry_run: false })).status).toBe(200);
    expect(sentItems().at(-1)).toMatchObject({ warehouses: [{ code: 'WH-EAST', quantity: 0 }], quantityAvailable: 0, status: 'out-of-stock' });
  });
});

describe('GET /api/v1/inventory/diff', () => {
  const day = '2026-01-07';
  beforeAll(async () => {
    const at = (minute: number) => new Date(`${day}T10:${String(minute).padStart(2, '0')}:00Z`);
    const row = (i: number, diff: number | null) => ({
      run_id: 'run-diff',
      synced_at: at(i),
      warehouse_code: i % 2 === 0 ? 'WH-EAST' : 'WH-WEST',
      wid: i % 2 === 0 ? '11' : '12',
      sku: `LX-${2000 + i}`,
      partner_sku: `DL-${2000 + i}`,
      quantity: 10 + i,
      dsco_quantity: diff === null ? null : 10 + i - diff,
      diff,
    });
    await fx.store.warehouseSync.insertMany([row(0, 0), row(1, 3), row(2, -2), row(3, null), row(4, 0), row(5, 1)]);
    // Another day's row must not show up.
    await fx.store.warehouseSync.insertMany([{ ...row(6, 5), synced_at: new Date('2026-01-08T00:00:00Z') }]);
  });

  const get = async (qs: string) => {
    const res = await fx.request(`${DIFF}?day=${day}&${qs}`, { headers: PARTNER });
    expect(res.status).toBe(200);
    return res.json() as { rows: Array<{ sku: string; diff: number | null; dsco_quantity: number | null; lingxing_quantity: number }>; next_cursor: string | null };
  };

  it('pages through a day with a keyset cursor, every row once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await get(`limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.rows.map((r) => r.sku));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(2);
    expect(seen).toEqual(['DL-2000', 'DL-2001', 'DL-2002', 'DL-2003', 'DL-2004', 'DL-2005']);
  });

  it('filters by warehouse, SKU and diff_only', async () => {
    expect((await get('diff_only=true')).rows.map((r) => [r.sku, r.diff])).toEqual([['DL-2001', 3], ['DL-2002', -2], ['DL-2005', 1]]);
    expect((await get('warehouse=WH-WEST&diff_only=true')).rows.map((r) => r.sku)).toEqual(['DL-2001', 'DL-2005']);
    const one = await get('sku=DL-2002');
    expect(one.rows).toEqual([expect.objectContaining({ sku: 'DL-2002', lingxing_quantity: 12, dsco_quantity: 14, diff: -2 })]);
  });
});
