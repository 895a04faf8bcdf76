import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { BrowserContext } from 'playwright-core';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeSilentLogger } from '@dlsync/logger';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { makeDscoClientFromEnv } from '@dlsync/services';
import { launchChromium } from './chromium.js';
import { ALICE, makeAdminFixture, testEnvConfig, VIEWER_TOKEN, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();

let sandbox: Sandbox;
let fx: AdminFixture;
let off: AdminFixture;
let clientRedis: Redis;
/** Catalog skus: HELD got inventory from DSCO's point of view, EMPTY never did; UNKNOWN is no item at all. */
let HELD: string;
let EMPTY: string;
const UNKNOWN = 'NOT-A-DSCO-ITEM';
const viewer = { authorization: `Bearer ${VIEWER_TOKEN}` };
const live = (skus: string[]) => `/api/stock/live?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&')}`;

beforeAll(async () => {
  sandbox = await startSandbox();
  [HELD, EMPTY] = sandbox.world.catalog.skus.map((s) => s.sku) as [string, string];
  // What a sync_stock push to /inventory/batch/small leaves once DSCO applied it.
  sandbox.world.dsco.inventory().set(HELD, { sku: HELD, quantityAvailable: 7, warehouses: [{ code: 'WH0', quantity: 7 }] } as never);
  // The admin's client comes from env config the way start-admin builds it (same factory as the workers).
  const base = testEnvConfig(testEnv);
  const env = { ...base, auth: { ...base.auth, dsco: { token: sandbox.credentials.dscoToken } }, integration: { ...base.integration, dsco: { ...base.integration.dsco, base_url: sandbox.dscoUrl } } };
  clientRedis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: 3 });
  fx = await makeAdminFixture(testEnv, { dsco: makeDscoClientFromEnv(env, { redis: clientRedis, logger: makeSilentLogger() }) });
  off = await makeAdminFixture(testEnv);
  await fx.store.warehouseSync.insertMany([
    // An older run: its quantity must not count once a newer run recorded the sku.
    { run_id: 'run-old', warehouse_code: 'WH0', wid: '10', sku: 'LX-HELD', partner_sku: HELD, quantity: 100, pushed: true, dsco_request_id: null },
  ]);
  await fx.store.warehouseSync.insertMany([
    { run_id: 'run-new', warehouse_code: 'WH0', wid: '10', sku: 'LX-HELD', partner_sku: HELD, quantity: 5, pushed: true, dsco_request_id: null },
    { run_id: 'run-new', warehouse_code: 'WH1', wid: '11', sku: 'LX-HELD', partner_sku: HELD, quantity: 4, pushed: true, dsco_request_id: null },
    { run_id: 'run-new', warehouse_code: 'WH0', wid: '10', sku: 'LX-EMPTY', partner_sku: EMPTY, quantity: 0, pushed: true, dsco_request_id: null },
  ]);
}, 40_000);

afterAll(async () => {
  await fx?.close();
  await off?.close();
  clientRedis?.disconnect();
  await sandbox?.close();
});

describe('GET /api/stock/live', () => {
  it("answers DSCO's quantity now next to the newest sync_stock run's, with the difference", async () => {
    const res = await fx.request(live([HELD, EMPTY, UNKNOWN]), { headers: ALICE });
    expect(res.status).toBe(200);
    const [held, empty, unknown] = res.json().items;
    expect(held).toMatchObject({
      sku: HELD,
      dsco: { quantity: 7, warehouses: [{ code: 'WH0', quantity: 7 }] },
      lingxing: { quantity: 9, run_id: 'run-new', warehouses: [{ code: 'WH0', wid: '10', quantity: 5 }, { code: 'WH1', wid: '11', quantity: 4 }] },
      diff: 2,
    });
    expect(Date.parse(held.lingxing.synced_at)).not.toBeNaN();
    expect(empty).toMatchObject({ sku: EMPTY, dsco: { quantity: 0, warehouses: [] }, lingxing: { quantity: 0 }, diff: 0 });
    expect(unknown).toEqual({ sku: UNKNOWN, dsco: null, lingxing: null, diff: null });
  });

  it('lets a viewer read it (a GET changes nothing)', async () => {
    const res = await fx.request(live([HELD]), { headers: viewer });
    expect(res.status).toBe(200);
    expect(res.json().items[0].dsco.quantity).toBe(7);
  });

  it('refuses more than 25 SKUs, none, NUL and huge values with a reason', async () => {
    const many = await fx.request(live(Array.from({ length: 26 }, (_, i) => `SKU-${i}`)), { headers: ALICE });
    expect(many.status).toBe(400);
    expect(many.json().error).toContain('at most 25 SKUs per request');
    const none = await fx.request('/api/stock/live', { headers: ALICE });
    expect(none.status).toBe(400);
    expect(none.json().issues[0].path).toBe('query.sku');
    const nul = await fx.request('/api/stock/live?sku=A%00B', { headers: ALICE });
    expect(nul.status).toBe(400);
    const huge = await fx.request(`/api/stock/live?sku=${'x'.repeat(201)}`, { headers: ALICE });
    expect(huge.status).toBe(400);
    expect(huge.json().error).toContain('at most 200 characters');
  });

  it('answers 502 naming the SKU when DSCO fails the read (the reason, which may name hosts, stays in the log)', async () => {
    sandbox.faults.set({ dsco: { endpoints: { '/inventory': { serverErrorRate: 1 } } } });
    try {
      const res = await fx.request(live([HELD]), { headers: ALICE });
      expect(res.status).toBe(502);
      expect(res.json().error).toBe(`DSCO inventory read for ${HELD} failed (the admin log has the reason)`);
      expect(res.body).not.toContain(sandbox.credentials.dscoToken);
      expect(res.body).not.toContain(sandbox.dscoUrl);
    } finally {
      sandbox.faults.clear();
    }
    // DSCO back: the same request answers again.
    expect((await fx.request(live([HELD]), { headers: ALICE })).status).toBe(200);
  }, 60_000);

  it('answers 503 with the reason when the admin has no DSCO credentials', async () => {
    const res = await off.request(live([HELD]), { headers: ALICE });
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ error: 'live DSCO read off: set auth.dsco.* for the admin', enabled: false });
    const page = await off.request('/stock', { headers: ALICE });
    expect(page.body).toContain('live DSCO read off: set auth.dsco.* for the admin');
    expect(page.body).not.toContain('data-testid="stock-live-form"');
  });
});

describe('/stock "Compare with DSCO now"', () => {
  it("prefills the page's SKUs and renders the comparison server-side (no JavaScript needed)", async () => {
    const form = await fx.request('/stock?run_id=run-new', { headers: ALICE });
    expect(form.body).toContain('data-testid="stock-live-form"');
    expect(form.body).not.toContain('data-testid="stock-live-result"');
    const res = await fx.request(`/stock?run_id=run-new&live=${encodeURIComponent(`${HELD}, ${UNKNOWN} <b>`)}`, { headers: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toContain('data-testid="stock-live-result"');
    expect(res.body).toContain('unknown to DSCO');
    // Typed text is escaped, never markup.
    expect(res.body).not.toContain('<b>');
    expect(res.body).toContain('&lt;b&gt;');
    const refused = await fx.request(`/stock?live=${Array.from({ length: 26 }, (_, i) => `S${i}`).join('+')}`, { headers: ALICE });
    expect(refused.status).toBe(200);
    expect(refused.body).toContain('at most 25 SKUs per request');
  });

  it('shows the comparison in headless Chromium (screenshot for a reviewer)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlsync-stock-live-chromium-'));
    const shots = await mkdtemp(join(tmpdir(), 'dlsync-stock-live-screenshots-'));
    let context: BrowserContext | undefined;
    const cspErrors: string[] = [];
    try {
      context = await launchChromium(dir, { viewport: { width: 1400, height: 900 }, extraHTTPHeaders: ALICE });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
      });
      await page.goto(`${fx.url}/stock?run_id=run-new`);
      await page.getByTestId('stock-live-skus').fill(`${HELD} ${EMPTY} ${UNKNOWN}`);
      await page.getByTestId('stock-live-submit').click();
      await page.getByTestId('stock-live-result').waitFor();
      const rows = await page.getByTestId('stock-live-row').allTextContents();
      expect(rows).toHaveLength(3);
      expect(rows[0]).toContain(HELD);
      expect(rows[0]).toContain('+2');
      // The filters of the page survived the comparison.
      expect(new URL(page.url()).searchParams.get('run_id')).toBe('run-new');
      await page.screenshot({ path: join(shots, 'stock-live.png'), fullPage: true });
      console.log(`stock live screenshot: ${join(shots, 'stock-live.png')}`);
      expect(cspErrors).toEqual([]);
    } finally {
      await context?.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);

  it('made no call DSCO would refuse', () => {
    sandbox.assertNoViolations();
  });
});
