import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeSilentLogger } from '@dlsync/logger';
import { callMetricsKey } from '@dlsync/services';
import type { TaskWorkers } from '@dlsync/queue';
import { makeAdminServer } from '../src/index.js';
import { ALICE, httpRequest, makeAdminFixture, makeTestRegistry, seedOrders, startTestWorkers, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();
let fx: AdminFixture;
let workers: TaskWorkers;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { waitTimeoutMs: 3_000 });
  workers = startTestWorkers(fx, makeTestRegistry({ fail: ['check_orders'] }), ['ack_to_dsco', 'check_orders']);
});
afterAll(async () => {
  await workers.close();
  await fx.close();
});

const api = (path: string, options: { method?: string; body?: unknown } = {}) => fx.request(path, { ...options, headers: ALICE });
const issuePaths = (body: { issues: { path: string }[] }) => body.issues.map((i) => i.path);

describe('POST /api/tasks/:task/runs', () => {
  const run = (task: string, body: unknown) => api(`/api/tasks/${task}/runs`, { method: 'POST', body });

  it('refuses bad input with 400 and a reason per field', async () => {
    const cases: [string, unknown, string[]][] = [
      ['nope', {}, ['params.task']],
      ['ack_to_dsco', { start: 'yesterday', end: '2025-01-02T00:00:00Z' }, ['body.start']],
      ['ack_to_dsco', { start: '2025-01-02T00:00:00Z', end: '2025-13-01T00:00:00Z' }, ['body.end']],
      ['ack_to_dsco', { start: '2025-01-02T00:00:00Z', end: '2025-01-01T00:00:00Z' }, ['body.start']],
      ['ack_to_dsco', { start: '2025-01-02T00:00:00Z', end: '2025-01-02T00:00:00Z' }, ['body.start']],
      ['ack_to_dsco', { start: '2025-01-02T00:00:00Z' }, ['body.end']],
      ['ack_to_dsco', { po_number: '' }, ['body.po_number']],
      ['ack_to_dsco', { po_number: 'P'.repeat(101) }, ['body.po_number']],
      ['ack_to_dsco', { po_number: "PO-1'; DROP TABLE x" }, ['body.po_number']],
      ['ack_to_dsco', { po_number: 'PO 1' }, ['body.po_number']],
      ['ack_to_dsco', { po_number: 42 }, ['body.po_number']],
      ['ack_to_dsco', { force: 'yes' }, ['body.force']],
      ['ack_to_dsco', { colour: 'red' }, ['body']],
    ];
    for (const [task, body, paths] of cases) {
      const res = await run(task, body);
      expect({ task, body, status: res.status }).toEqual({ task, body, status: 400 });
      expect(issuePaths(res.json())).toEqual(paths);
      expect(res.json().error).toMatch(/^invalid /);
    }
    expect(await fx.queues.ack_to_dsco.count()).toBe(0);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await fx.request('/api/tasks/ack_to_dsco/runs', {
      method: 'POST',
      headers: { ...ALICE, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(/JSON/);
  });

  it('enqueues a manual run and answers 202 with the job id', async () => {
    const res = await run('pull_sku_pair', { po_number: 'PO-ENQ', start: '2025-01-01T00:00:00Z', end: '2025-01-02T00:00:00+08:00', force: true });
    expect(res.status).toBe(202);
    const job = await fx.queues.pull_sku_pair.getJob(res.json().jobId);
    expect(job?.data).toEqual({
      trigger: 'manual',
      onlyPoNumber: 'PO-ENQ',
      window: { start: '2025-01-01T00:00:00.000Z', end: '2025-01-01T16:00:00.000Z' },
      force: true,
      requestedBy: 'admin:alice',
    });
  });

  it('with wait, runs the job on a real worker and answers with its Report', async () => {
    const res = await run('ack_to_dsco', { po_number: 'PO-7', wait: true });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      state: 'completed',
      report: { task: 'ack_to_dsco', status: 'ok', trigger: 'manual', counts: { ok: 1, skipped: 0, failed: 0 }, items: [{ po_number: 'PO-7', result: 'ok' }] },
    });

    const one = await api(`/api/runs/ack_to_dsco/${body.jobId}`);
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ task: 'ack_to_dsco', jobId: body.jobId, state: 'completed', report: { runId: body.report.runId } });

    const list = (await api('/api/runs?task=ack_to_dsco&status=completed')).json();
    expect(list.runs.map((r: { jobId: string }) => r.jobId)).toEqual([body.jobId]);

    const metrics = (await api('/metrics')).body;
    expect(metrics).toMatch(/dlsync_jobs_completed_total\{task="ack_to_dsco",status="ok"\} 1/);
    expect(metrics).toMatch(/dlsync_run_duration_seconds_count\{task="ack_to_dsco",status="ok"\} 1/);
  });

  it('with wait, answers 202 with the job state when the run has not finished in time', async () => {
    // The run fails, so the job goes back to wait for a retry (after the backoff) instead of finishing.
    // check_orders needs a window or a PO number to have anything to compare.
    const res = await run('check_orders', { wait: true, po_number: 'PO-WAIT-1' });
    expect(res.status).toBe(202);
    expect(res.json()).toMatchObject({ timedOut: true, state: 'delayed' });
    const job = await fx.queues.check_orders.getJob(res.json().jobId);
    expect(job?.failedReason).toMatch(/check_orders exploded/);
  }, 15_000);
});

describe('GET /api/runs', () => {
  it('lists runs newest first across queues and refuses bad filters', async () => {
    const all = (await api('/api/runs?limit=50')).json().runs as { task: string; createdAt: string }[];
    expect(new Set(all.map((r) => r.task))).toEqual(new Set(['ack_to_dsco', 'pull_sku_pair', 'check_orders']));
    expect((await api('/api/runs?limit=1')).json().runs).toHaveLength(1);
    expect(issuePaths((await api('/api/runs?status=exploded')).json())).toEqual(['query.status']);
    expect(issuePaths((await api('/api/runs?limit=0')).json())).toEqual(['query.limit']);
    expect(issuePaths((await api('/api/runs?task=nope')).json())).toEqual(['query.task']);
    expect((await api('/api/runs/ack_to_dsco/999999')).status).toBe(404);
    expect((await api('/api/runs/nope/1')).status).toBe(400);
  });
});

describe('orders', () => {
  const statuses = [1, 1, 2, 3, 4, 5, 6] as const;
  beforeAll(async () => {
    await seedOrders(
      fx.store,
      Array.from({ length: 53 }, (_, i) => ({ po: `PO-${String(i).padStart(3, '0')}`, status: statuses[i % statuses.length]! })),
    );
  });

  async function collect(query: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/api/orders?${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.json() as { items: { po_number: string; payload?: unknown }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(7);
      for (const item of page.items) expect(item.payload).toBeUndefined();
      seen.push(...page.items.map((o) => o.po_number));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  }

  it('pages through every row exactly once, newest first', async () => {
    const seen = await collect('');
    expect(seen).toHaveLength(53);
    expect(new Set(seen).size).toBe(53);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('filters by status and PO prefix while paging', async () => {
    const pulled = await collect('status=1');
    const expected = (await fx.store.db.selectFrom('dsco_order_sync').select('po_number').where('status', '=', 1).execute()).map((r) => r.po_number);
    expect(pulled.sort()).toEqual(expected.sort());
    expect(await collect('po=PO-01')).toEqual(['PO-019', 'PO-018', 'PO-017', 'PO-016', 'PO-015', 'PO-014', 'PO-013', 'PO-012', 'PO-011', 'PO-010']);
  });

  it('refuses bad queries and shows one order with its payload', async () => {
    expect(issuePaths((await api('/api/orders?status=7')).json())).toEqual(['query.status']);
    expect(issuePaths((await api('/api/orders?cursor=garbage')).json())).toEqual(['query.cursor']);
    expect(issuePaths((await api('/api/orders?limit=501')).json())).toEqual(['query.limit']);
    expect(issuePaths((await api(`/api/orders?po=${encodeURIComponent('a b')}`)).json())).toEqual(['query.po']);
    const one = await api('/api/orders/PO-004');
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ po_number: 'PO-004', status: 4, payload: { poNumber: 'PO-004' } });
    expect((await api('/api/orders/PO-999')).status).toBe(404);
    expect((await api(`/api/orders/${encodeURIComponent('bad po!')}`)).status).toBe(400);
  });

  it('exposes orders per status in /metrics, matching the database', async () => {
    const rows = await sql<{ status: number; n: number }>`SELECT status, count(*)::int AS n FROM dsco_order_sync GROUP BY status`.execute(fx.store.db);
    const metrics = (await api('/metrics')).body;
    for (const status of [1, 2, 3, 4, 5, 6]) {
      const n = rows.rows.find((r) => r.status === status)?.n ?? 0;
      expect(metrics).toContain(`dlsync_orders{status="${status}"} ${n}`);
    }
  });
});

describe('runtime config', () => {
  it('refuses an invalid config with 400 naming each problem', async () => {
    const res = await api('/api/config', {
      method: 'PUT',
      body: { version: null, config: { mapping: { shop: { R1: 'not-a-number' } }, jobs: { push_to_lingxing: { size: -1 }, nope: {} } } },
    });
    expect(res.status).toBe(400);
    expect(issuePaths(res.json()).sort()).toEqual(['config.jobs.nope', 'config.jobs.push_to_lingxing.size', 'config.mapping.shop.R1']);
    expect(res.json().error).toMatch(/config\.mapping\.shop\.R1: must be a numeric store id/);
    expect(issuePaths((await api('/api/config', { method: 'PUT', body: { config: {} } })).json())).toEqual(['body.version']);
  });

  it('saves with compare-and-set: a new version is readable, a stale one is 409', async () => {
    const before = (await api('/api/config')).json();
    expect(before.version).toBeNull();
    const config = { mapping: { shop: { R1: '101' }, sku: { 'SKU-1': 'LX-1' } }, jobs: { ack_to_dsco: { enabled: true, cron: '*/3 * * * *' } } };
    const saved = await api('/api/config', { method: 'PUT', body: { version: null, config } });
    expect(saved.status).toBe(200);
    expect(saved.json()).toEqual({ version: 1 });

    const live = (await api('/api/config')).json();
    expect(live).toMatchObject({ version: 1, updatedBy: 'admin:alice', config: { mapping: { shop: { R1: '101' }, sku: { 'SKU-1': 'LX-1' } } } });
    expect(live.config.jobs.ack_to_dsco).toMatchObject({ enabled: true, cron: '*/3 * * * *', size: 200 });

    const stale = await api('/api/config', { method: 'PUT', body: { version: null, config: {} } });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ liveVersion: 1 });
    expect((await api('/api/config', { method: 'PUT', body: { version: 1, config: {} } })).json()).toEqual({ version: 2 });
    expect((await api('/api/config')).json().version).toBe(2);
  });
});

describe('warehouse sync', () => {
  it('lists runs and the rows of one run', async () => {
    await fx.store.warehouseSync.insertMany([
      { run_id: 'run-a', warehouse_code: 'W1', wid: '11', sku: 'LX-1', partner_sku: 'SKU-1', quantity: 5, pushed: true },
      { run_id: 'run-a', warehouse_code: 'W1', wid: '11', sku: 'LX-2', partner_sku: 'SKU-2', quantity: 0, pushed: true },
    ]);
    const rows = (await api('/api/warehouse-sync?run_id=run-a')).json().rows;
    expect(rows.map((r: { partner_sku: string }) => r.partner_sku)).toEqual(['SKU-1', 'SKU-2']);
    expect((await api('/api/warehouse-sync/runs')).json().runs).toMatchObject([{ run_id: 'run-a', rows: 2, pushed: 2, warehouses: 1 }]);
    expect(issuePaths((await api('/api/warehouse-sync')).json())).toEqual(['query.run_id']);
  });
});

describe('overview page', () => {
  it('renders the funnel, stuck orders, latest runs and the live mapping under a strict CSP', async () => {
    await seedOrders(fx.store, [{ po: 'STUCK-1', status: 2, updatedAt: new Date(Date.now() - 3 * 3600_000) }], 1_800_000_000);
    const { version } = (await api('/api/config')).json();
    const config = { mapping: { sku: { 'SKU-1': 'LX-1', '<b>': 'x' } } };
    expect((await api('/api/config', { method: 'PUT', body: { version, config } })).status).toBe(200);
    const res = await api('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    const counts = await fx.store.orders.countByStatus();
    for (const status of [1, 2, 3, 4, 5, 6] as const) {
      expect(res.body).toContain(`data-testid="funnel-count-${status}">${counts[status]}<`);
    }
    const stuck = res.body.slice(res.body.indexOf('data-testid="stuck-orders"'));
    expect(stuck).toContain('STUCK-1');
    expect(stuck).not.toContain('PO-000'); // seeded just now: not stuck
    expect(res.body).toMatch(/data-testid="latest-run-ack_to_dsco">[\s\S]*?status-ok/);
    expect(res.body).toMatch(/data-testid="mapping-sku">[\s\S]*?<td>SKU-1<\/td><td>LX-1<\/td>/);
    expect(res.body).toContain('<td>&lt;b&gt;</td>'); // data is escaped
  });
});

describe('metrics and health', () => {
  it('exposes fleet remote calls and Lingxing in-flight slots read from Redis', async () => {
    await fx.redis.hset(callMetricsKey(fx.prefix), 'lingxing /pb/mp/order/v2/create ok', 7, 'lingxing /pb/mp/order/v2/create error', 2);
    const [seconds] = await fx.redis.time();
    const nowMs = Number(seconds) * 1000;
    const bucket = `${fx.prefix}:inflight:ak_test:/erp/sc/routing/wms/order/wmsOrderList`;
    await fx.redis.zadd(bucket, nowMs + 60_000, 'lease-1', nowMs + 60_000, 'lease-2', nowMs - 60_000, 'expired');
    const metrics = (await api('/metrics')).body;
    expect(metrics).toContain('dlsync_remote_calls_total{service="lingxing",endpoint="/pb/mp/order/v2/create",outcome="ok"} 7');
    expect(metrics).toContain('dlsync_remote_calls_total{service="lingxing",endpoint="/pb/mp/order/v2/create",outcome="error"} 2');
    expect(metrics).toContain('dlsync_lingxing_inflight{endpoint="/erp/sc/routing/wms/order/wmsOrderList"} 2');
    expect(metrics).toMatch(/dlsync_queue_jobs\{task="ack_to_dsco",state="completed"\} 1/);
    expect(metrics).toMatch(/^process_cpu_seconds_total /m);
  });

  it('reports ready when Postgres and Redis answer', async () => {
    const res = await api('/readyz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, postgres: 'ok', redis: 'ok' });
  });

  it('reports 503 naming Redis when Redis does not answer', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      disconnectTimeout: 50,
    });
    deadRedis.on('error', () => undefined);
    const app = makeAdminServer({
      services: { store: fx.store, redis: deadRedis, queueConnection: fx.queueConnection, prefix: fx.prefix },
      queues: fx.queues,
      env: fx.env,
      logger: makeSilentLogger(),
    });
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const res = await httpRequest(url, '/readyz', { headers: ALICE });
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ ok: false, postgres: 'ok' });
      expect(res.json().redis).not.toBe('ok');
    } finally {
      await app.close();
      deadRedis.disconnect();
    }
  });
});
