import { sql } from 'kysely';
import { useTestEnv } from '@dlsync/infra/testing';
import type { TaskWorkers } from '@dlsync/queue';
import { ALICE, makeAdminFixture, makeTestRegistry, startTestWorkers, VIEWER_TOKEN, type AdminFixture } from './admin-fixture.js';
import { CONSOLE_NOW, consolePos, seedConsoleOrders } from './console-fixture.js';

const testEnv = useTestEnv();
let fx: AdminFixture;
let workers: TaskWorkers;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { waitTimeoutMs: 5_000, now: () => CONSOLE_NOW });
  workers = startTestWorkers(fx, makeTestRegistry(), ['push_to_lingxing', 'ack_to_dsco', 'check_orders']);
  await seedConsoleOrders(fx.store);
});
afterAll(async () => {
  await workers.close();
  await fx.close();
});

const api = (path: string, options: { method?: string; body?: unknown } = {}) => fx.request(path, { ...options, headers: ALICE });
const issuePaths = (body: { issues: { path: string }[] }) => body.issues.map((i) => i.path);

async function collect(query: string, limit = 6): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await api(`/api/orders?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    const page = res.json() as { items: { po_number: string; payload?: unknown }[]; nextCursor: string | null };
    for (const item of page.items) expect(item.payload).toBeUndefined();
    seen.push(...page.items.map((o) => o.po_number));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('GET /api/orders', () => {
  it('filters by every field while paging newest first', async () => {
    expect(await collect('')).toEqual(consolePos(() => true));
    expect(await collect('po=01')).toEqual(consolePos((i) => String(i).padStart(3, '0').includes('01')));
    expect(await collect('retailer=R-ODD&warehouse=WH1')).toEqual(consolePos((i) => i % 2 === 1 && i % 3 === 1));
    expect(await collect('sku=SKU-3')).toEqual(consolePos((i) => i % 4 === 3));
    expect(await collect('shipment=EXPRESS')).toEqual(consolePos((i) => i % 5 === 0));
    expect(await collect('tracking=1ZC-00')).toEqual(['C-009', 'C-004', 'C-003']);
    expect(await collect('invoice=INV-C-010')).toEqual(['C-010']);
    expect(await collect('dsco_status=cancelled')).toEqual(consolePos((i) => i % 6 === 5));
    expect(await collect('status=1&status=4')).toEqual(consolePos((i) => i % 6 === 0 || i % 6 === 3));
    expect(await collect('has_error=true')).toEqual(['C-000']);
    // Times without an offset are in admin.display_timezone (UTC here); [from, to).
    expect(await collect('created_from=2026-03-01T00:10&created_to=2026-03-01T00:13')).toEqual(['C-012', 'C-011', 'C-010']);
    expect(await collect('created_from=2026-03-01T01:10:00%2B01:00&created_to=2026-03-01T00:12:00Z')).toEqual(['C-011', 'C-010']);
  });

  it('counts per status for the current filter', async () => {
    const res = await api('/api/orders?retailer=R-EVEN&limit=1');
    expect(res.json().counts).toEqual({ 1: 7, 2: 0, 3: 7, 4: 0, 5: 6, 6: 0 });
  });

  it('answers 400 with the field for bad input, never 500', async () => {
    const cases: [string, string][] = [
      ['status=7', 'query.status'],
      ['status=1&status=x', 'query.status'],
      ['limit=501', 'query.limit'],
      ['cursor=garbage', 'query.cursor'],
      [`po=${encodeURIComponent('a b')}`, 'query.po'],
      [`retailer=${'R'.repeat(201)}`, 'query.retailer'],
      [`sku=${'S'.repeat(5_000)}`, 'query.sku'],
      ['sku=%01', 'query.sku'],
      ['retailer=a&retailer=b', 'query.retailer'],
      ['created_from=yesterday', 'query.created_from'],
      ['created_from=2026-02-30T00:00', 'query.created_from'],
      ['created_from=2026-03-02T00:00&created_to=2026-03-01T00:00', 'query.created_from'],
      ['has_error=maybe', 'query.has_error'],
      ['nope=1', 'query'],
    ];
    for (const [query, path] of cases) {
      const res = await api(`/api/orders?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect({ query, paths: issuePaths(res.json()) }).toEqual({ query, paths: [path] });
    }
    const nul = await api('/api/orders?sku=%00');
    expect(nul.status).toBe(400);
    expect(nul.json().error).toMatch(/NUL/);
  });
});

describe('GET /api/orders/:po', () => {
  it('has every column, the deadlines, writes, audit history and the payload', async () => {
    const res = await api('/api/orders/C-001');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      po_number: 'C-001',
      status: 2,
      next_attempt_at: null,
      attempts: 0,
      payload: { poNumber: 'C-001' },
      nextTask: 'ack_to_dsco',
      deadlines: { acknowledge_by: '2026-03-10T10:00:00.000Z', ship_by: null },
      audit: [],
    });
    expect(body.writes).toHaveLength(1);
    expect(body.writes[0]).toMatchObject({ kind: 'ack', state: 'failure', request_id: 'req-1', error: 'DSCO refused', body: { poNumber: 'C-001' } });
    expect((await api('/api/orders/C-999')).status).toBe(404);
    expect((await api(`/api/orders/${encodeURIComponent('bad po!')}`)).status).toBe(400);
  });
});

describe('POST /api/orders/:po/status', () => {
  const change = (po: string, body: unknown) => api(`/api/orders/${po}/status`, { method: 'POST', body });

  it('changes the status, keeps the audit line and shows it in the history', async () => {
    const res = await change('C-013', { from: 2, to: 1, reason: 'Lingxing order deleted by hand; push again' });
    expect(res.status).toBe(200);
    expect(res.json().audit).toMatchObject({ po_number: 'C-013', from_status: 2, to_status: 1, actor: 'admin:alice' });
    const detail = (await api('/api/orders/C-013')).json();
    expect(detail.status).toBe(1);
    expect(detail.audit.map((a: { from_status: number; to_status: number; reason: string }) => [a.from_status, a.to_status, a.reason])).toEqual([
      [2, 1, 'Lingxing order deleted by hand; push again'],
    ]);
  });

  it('answers 409 when the order moved since the operator looked, and changes nothing', async () => {
    const res = await change('C-014', { from: 1, to: 5, reason: 'done by phone' });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ status: 3 });
    expect((await api('/api/orders/C-014')).json()).toMatchObject({ status: 3, audit: [] });
  });

  it('refuses a missing reason, a move to 6 and unknown fields with 400', async () => {
    expect(issuePaths((await change('C-014', { from: 3, to: 4 })).json())).toEqual(['body.reason']);
    expect(issuePaths((await change('C-014', { from: 3, to: 4, reason: '   ' })).json())).toEqual(['body.reason']);
    expect((await change('C-014', { from: 3, to: 6, reason: 'x' })).status).toBe(400);
    expect(issuePaths((await change('C-014', { from: 3, to: 4, reason: 'x', actor: 'mallory' })).json())).toEqual(['body']);
    expect((await change('C-999', { from: 3, to: 4, reason: 'x' })).status).toBe(404);
    expect((await api('/api/orders/C-014')).json().status).toBe(3);
  });
});

describe('runs for one PO', () => {
  it('runs the task of the order status for this PO only, and lists the run item in the detail', async () => {
    const res = await api('/api/orders/C-007/run', { method: 'POST', body: { wait: true } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ task: 'ack_to_dsco', state: 'completed', report: { items: [{ po_number: 'C-007', result: 'ok' }] } });
    const job = await fx.queues.ack_to_dsco.getJob(res.json().jobId);
    expect(job?.data).toMatchObject({ onlyPoNumber: 'C-007', trigger: 'manual', requestedBy: 'admin:alice' });
    const detail = (await api('/api/orders/C-007')).json();
    expect(detail.runItems).toEqual([expect.objectContaining({ task: 'ack_to_dsco', jobId: res.json().jobId, item: expect.objectContaining({ po_number: 'C-007' }) })]);
  });

  it('refuses to run anything for a done or cancelled order', async () => {
    for (const po of ['C-004', 'C-005']) {
      const res = await api(`/api/orders/${po}/run`, { method: 'POST', body: {} });
      expect(res.status).toBe(409);
      expect(res.json().error).toMatch(/nothing left to run/);
    }
  });

  it('checks one PO with check_orders', async () => {
    const res = await api('/api/orders/C-004/check', { method: 'POST', body: { wait: true } });
    expect(res.json()).toMatchObject({ task: 'check_orders', state: 'completed', report: { items: [{ po_number: 'C-004' }] } });
  });

  it('checks a window and marks each local order of it', async () => {
    const res = await api('/api/check-range', { method: 'POST', body: { start: '2026-03-01T00:00', end: '2026-03-01T00:03' } });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ task: 'check_orders', state: 'completed', start: '2026-03-01T00:00:00.000Z', end: '2026-03-01T00:03:00.000Z', missingLocal: [] });
    expect(body.report.details.window).toBe('2026-03-01T00:00:00.000Z/2026-03-01T00:03:00.000Z');
    expect(body.orders.map((o: { po_number: string; verdict: string }) => [o.po_number, o.verdict])).toEqual([
      ['C-002', 'ok'],
      ['C-001', 'ok'],
      ['C-000', 'ok'],
    ]);
    expect(issuePaths((await api('/api/check-range', { method: 'POST', body: { start: '2026-03-01T00:03' } })).json())).toEqual(['body.end']);
  });
});

describe('attention', () => {
  it('lists each kind and counts them', async () => {
    const body = (await api('/api/attention')).json();
    expect(body.withinHours).toBe(24);
    const pos = (kind: string) => body.items.filter((i: { kind: string }) => i.kind === kind).map((i: { po_number: string }) => i.po_number);
    expect(pos('last_error')).toEqual(['C-000']);
    expect(pos('deadline')).toEqual(['C-001', 'C-002']);
    expect(pos('write')).toEqual(['C-001']);
    expect(pos('cancelled_after_shipped')).toEqual(['C-005']);
    expect(body.counts).toMatchObject({ last_error: 1, deadline: 2, write: 1, cancelled_after_shipped: 1 });
  });

  it('retry now clears the backoff of the selected orders', async () => {
    const res = await api('/api/attention/retry', { method: 'POST', body: { po_numbers: ['C-000', 'C-001'] } });
    expect(res.json()).toEqual({ cleared: ['C-000'], supported: true });
    const { rows } = await sql<{ po_number: string; next_attempt_at: Date | null }>`
      SELECT po_number, next_attempt_at FROM dsco_order_sync WHERE po_number IN ('C-000', 'C-002') ORDER BY po_number`.execute(fx.store.db);
    expect(rows.map((r) => [r.po_number, r.next_attempt_at === null])).toEqual([
      ['C-000', true],
      ['C-002', false],
    ]);
    expect(issuePaths((await api('/api/attention/retry', { method: 'POST', body: { po_numbers: [] } })).json())).toEqual(['body.po_numbers']);
  });
});

describe('exports and stock', () => {
  it('streams the filtered orders as CSV', async () => {
    const res = await api('/api/orders.csv?retailer=R-ODD&status=6');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['id', 'po_number', 'dsco_order_id']);
    expect(lines[0]).not.toMatch(/payload/);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(consolePos((i) => i % 2 === 1 && i % 6 === 5));
    const header = lines[0]!.split(',');
    expect(lines.at(-1)!.split(',')[header.indexOf('dsco_create_time')]).toBe('2026-03-01T00:05:00.000Z');
  });

  it('filters sync_stock rows and exports them', async () => {
    await fx.store.warehouseSync.insertMany([
      { run_id: 'run-1', warehouse_code: 'W1', wid: '1', sku: 'LX-A', partner_sku: 'P-A', quantity: 5, pushed: true, dsco_request_id: 'req-2' },
      { run_id: 'run-1', warehouse_code: 'W1', wid: '1', sku: 'LX-B', partner_sku: '=cmd', quantity: 0, pushed: false, dsco_request_id: null },
    ]);
    const page = (await api('/api/stock?sku=LX-A')).json();
    expect(page.items).toEqual([expect.objectContaining({ sku: 'LX-A', quantity: 5, confirmed: true })]);
    expect((await api('/api/stock?pushed=false')).json().items.map((r: { sku: string }) => r.sku)).toEqual(['LX-B']);
    const csv = await api('/api/stock.csv?run_id=run-1');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('id,run_id,synced_at,warehouse_code,wid,sku,partner_sku,quantity,dsco_quantity,diff,pushed,confirmed,dsco_request_id');
    // A value a spreadsheet would execute is defused.
    expect(lines[1]).toContain(",'=cmd,");
    expect(issuePaths((await api('/api/stock?pushed=yes')).json())).toEqual(['query.pushed']);
  });
});

describe('viewer role', () => {
  const viewer = { authorization: `Bearer ${VIEWER_TOKEN}` };

  it('reads every console page with the actions disabled, and cannot change anything', async () => {
    for (const path of ['/orders', '/orders/C-020', '/attention', '/stock', '/check-range']) {
      const res = await fx.request(path, { headers: viewer });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const detail = (await fx.request('/orders/C-020', { headers: viewer })).body;
    expect(detail).toContain('data-testid="read-only"');
    expect(detail).toMatch(/<fieldset class="actions" data-testid="actions" disabled>/);
    expect((await fx.request('/orders/C-020', { headers: ALICE })).body).not.toContain('data-testid="read-only"');
    const refused = await fx.request('/api/orders/C-020/status', { method: 'POST', headers: viewer, body: { from: 3, to: 4, reason: 'x' } });
    expect(refused.status).toBe(403);
    expect((await api('/api/orders/C-020')).json()).toMatchObject({ status: 3, audit: [] });
  });
});
