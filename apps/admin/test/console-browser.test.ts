import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { useTestEnv } from '@dlsync/infra/testing';
import type { TaskWorkers } from '@dlsync/queue';
import { launchChromium } from './chromium.js';
import { ALICE, ALICE_PASSWORD, makeAdminFixture, makeTestRegistry, startTestWorkers, type AdminFixture } from './admin-fixture.js';
import { CONSOLE_NOW, consolePos, seedConsoleOrders } from './console-fixture.js';

const testEnv = useTestEnv();


let fx: AdminFixture;
let workers: TaskWorkers;
const profileDirs: string[] = [];
let context: BrowserContext;
let page: Page;
/** Screenshots for a reviewer; kept after the run (the path is printed). */
let shots: string;
const cspErrors: string[] = [];

async function launch(options: { javaScriptEnabled?: boolean; extraHTTPHeaders?: Record<string, string> } = {}): Promise<BrowserContext> {
  const dir = await mkdtemp(join(tmpdir(), 'dlsync-console-chromium-'));
  profileDirs.push(dir);
  return launchChromium(dir, {
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    ...options,
  });
}

beforeAll(async () => {
  // New York, so the pages show and read times in a zone other than storage's UTC.
  fx = await makeAdminFixture(testEnv, { now: () => CONSOLE_NOW, waitTimeoutMs: 10_000, admin: { display_timezone: 'America/New_York' } });
  workers = startTestWorkers(fx, makeTestRegistry(), ['push_to_lingxing', 'ack_to_dsco', 'check_orders']);
  await seedConsoleOrders(fx.store);
  await fx.store.warehouseSync.insertMany([
    { run_id: 'stock-run-1', warehouse_code: 'WH0', wid: '10', sku: 'LX-A', partner_sku: 'SKU-0', quantity: 12, pushed: true, dsco_request_id: 'req-2' },
    { run_id: 'stock-run-1', warehouse_code: 'WH0', wid: '10', sku: 'LX-B', partner_sku: 'SKU-1', quantity: 0, pushed: false, dsco_request_id: null },
  ]);
  await sql`UPDATE dsco_warehouse_sync SET dsco_quantity = 10, diff = 2 WHERE sku = 'LX-A'`.execute(fx.store.db);
  shots = await mkdtemp(join(tmpdir(), 'dlsync-console-screenshots-'));
  console.log(`console screenshots: ${shots}`);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
}, 40_000);

afterAll(async () => {
  await context?.close();
  for (const dir of profileDirs) await rm(dir, { recursive: true, force: true });
  await workers?.close();
  await fx?.close();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const rowPos = async () => (await page.getByTestId('order-row').locator('td:first-child').allTextContents()).map((s) => s.trim());

describe('operations console in Chromium', () => {
  it('signs in and lists orders newest first with counts per status', async () => {
    await page.goto(`${fx.url}/orders`);
    await page.getByTestId('login-user').fill('alice');
    await page.getByTestId('login-password').fill(ALICE_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('orders-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/orders');
    expect(await rowPos()).toEqual(consolePos(() => true).slice(0, 40));
    expect(await page.getByTestId('count-all').textContent()).toBe('40');
    expect(await page.getByTestId('display-timezone').textContent()).toBe('Times in America/New_York');
    // 2026-03-01T00:39Z is 2026-02-28 19:39 in New York.
    expect(await page.getByTestId('order-row').first().locator('time').first().textContent()).toBe('2026-02-28 19:39:00');
    await shot('01-orders');
  });

  it('filters by retailer, statuses and a created range entered in the display zone', async () => {
    await page.getByTestId('filter-retailer').fill('R-ODD');
    await page.getByTestId('filter-status-2').check();
    await page.getByTestId('filter-status-6').check();
    await page.getByTestId('filter-created_from').fill('2026-02-28T19:05');
    await page.getByTestId('filter-submit').click();
    await page.getByTestId('orders-table').waitFor();
    const expected = consolePos((i) => i % 2 === 1 && (i % 6 === 1 || i % 6 === 5) && i >= 5);
    expect(await rowPos()).toEqual(expected);
    expect(await page.getByTestId('count-all').textContent()).toBe(String(expected.length));
    expect(await page.getByTestId('count-2').textContent()).toBe(String(expected.filter((p) => Number(p.slice(2)) % 6 === 1).length));
    expect(await page.getByTestId('filter-created_from').inputValue()).toBe('2026-02-28T19:05');
    await shot('02-orders-filtered');
  });

  it('pages with the chosen page size and shows the chosen columns', async () => {
    await page.goto(`${fx.url}/orders`);
    await page.getByTestId('filter-limit').selectOption('25');
    await page.locator('details summary', { hasText: 'Columns' }).click();
    await page.getByTestId('col-dsco_status').check();
    await page.getByTestId('col-mskus').uncheck();
    await page.getByTestId('filter-submit').click();
    await page.getByTestId('orders-table').waitFor();
    const first = await rowPos();
    expect(first).toHaveLength(25);
    const headers = await page.getByTestId('orders-table').locator('thead th').allTextContents();
    expect(headers).toContain('DSCO status');
    expect(headers).not.toContain('Lines (SKU×qty)');
    await page.getByTestId('next-page').click();
    await page.getByTestId('last-page').waitFor();
    const second = await rowPos();
    expect([...first, ...second]).toEqual(consolePos(() => true));
    expect(await page.getByTestId('orders-table').locator('thead th').allTextContents()).toContain('DSCO status');
    await shot('03-orders-page-2');
  });

  it('downloads the current filter as CSV', async () => {
    await page.goto(`${fx.url}/orders?warehouse=WH1&shipment=GROUND`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    const po = header.indexOf('po_number');
    expect(lines.slice(1).map((l) => l.split(',')[po])).toEqual(consolePos((i) => i % 3 === 1 && i % 5 !== 0));
    expect(header).not.toContain('payload');
  });

  it('shows an order with deadlines, writes, errors and the payload collapsed', async () => {
    await page.goto(`${fx.url}/orders?po=C-001`);
    await page.getByRole('link', { name: 'C-001' }).click();
    await page.getByTestId('order-title').waitFor();
    expect(await page.getByTestId('deadlines').textContent()).toContain('2026-03-10 06:00:00');
    expect(await page.getByTestId('writes-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('writes-table').textContent()).toMatch(/failure.*req-1.*DSCO refused/s);
    expect(await page.getByTestId('payload').getAttribute('open')).toBeNull();
    expect(await page.getByTestId('payload-json').isVisible()).toBe(false);
    await shot('04-order-detail');
    await page.getByTestId('payload').locator('summary').click();
    // The payload's markup is shown as text, never run.
    expect(await page.getByTestId('payload-json').textContent()).toContain('<script>alert(1)</script>');
    // The copy button is the script's: shown only when it runs.
    expect(await page.getByTestId('copy-payload').isVisible()).toBe(true);
    await page.getByTestId('copy-payload').click();
    await expectText(page.locator('[data-copied]'), /Copied|Selected/);
    await shot('05-order-detail-payload');

    await page.goto(`${fx.url}/orders/C-000`);
    expect(await page.getByTestId('last-error').textContent()).toContain('lingxing: sku SKU-0 not mapped <b>');
  });

  it('changes the status with a required reason and shows the audit line', async () => {
    await page.goto(`${fx.url}/orders/C-007`);
    await page.getByTestId('status-to').selectOption('1');
    await page.getByTestId('status-submit').click();
    // The reason is required: the browser refuses to submit without it.
    expect(await fx.store.orders.getByPo('C-007')).toMatchObject({ status: 2 });
    await page.getByTestId('status-reason').fill('Lingxing order was deleted; push again');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('status-submit').click()]);
    await page.getByTestId('audit-row').waitFor();
    expect(await page.getByTestId('audit-row').textContent()).toMatch(/alice.*2 · to ack → 1 · to push.*Lingxing order was deleted; push again/s);
    expect(await fx.store.orders.getByPo('C-007')).toMatchObject({ status: 1 });
    const { rows } = await sql<{ actor: string; reason: string }>`SELECT actor, reason FROM order_status_audit WHERE po_number = 'C-007'`.execute(fx.store.db);
    expect(rows).toEqual([{ actor: 'admin:alice', reason: 'Lingxing order was deleted; push again' }]);
    await shot('06-status-changed');
  });

  it('refuses a status change when the order moved meanwhile', async () => {
    await page.goto(`${fx.url}/orders/C-008`);
    await sql`UPDATE dsco_order_sync SET status = 4 WHERE po_number = 'C-008'`.execute(fx.store.db);
    await page.getByTestId('status-reason').fill('stale view');
    await page.getByTestId('status-submit').click();
    await expectText(page.getByTestId('action-result'), /Refused \(409\).*at status 4 now/);
    expect(await page.getByTestId('audit-none').isVisible()).toBe(true);
  });

  it('runs the next task for the PO and shows its outcome', async () => {
    await page.goto(`${fx.url}/orders/C-007`);
    expect(await page.getByTestId('action-run').textContent()).toBe('Run push_to_lingxing for this PO');
    await page.getByTestId('action-run').click();
    await page.getByTestId('job-outcome').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('job-state').textContent()).toBe('ok');
    expect(await page.getByTestId('job-outcome').textContent()).toMatch(/push_to_lingxing job .*C-007 ok/s);
    expect(await page.getByTestId('run-items-table').textContent()).toContain('push_to_lingxing');
    await shot('07-run-outcome');
    await page.goto(`${fx.url}/orders/C-004`);
    expect(await page.getByTestId('action-run').isDisabled()).toBe(true);
  });

  it('lists what needs attention and retries a selection now', async () => {
    await page.goto(`${fx.url}/attention`);
    expect(await page.getByTestId('attention-count-last_error').textContent()).toBe('1');
    expect(await page.getByTestId('attention-count-deadline').textContent()).toBe('2');
    expect(await page.getByTestId('attention-count-write').textContent()).toBe('1');
    expect(await page.getByTestId('attention-count-cancelled_after_shipped').textContent()).toBe('1');
    await shot('08-attention');
    await page.getByTestId('select-last_error-C-000').check();
    await page.getByTestId('select-deadline-C-002').check();
    await page.getByTestId('retry-submit').click();
    await expectText(page.getByTestId('action-result'), /Backoff cleared for 2 of 2 selected: C-000, C-002/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dsco_order_sync WHERE next_attempt_at IS NOT NULL`.execute(fx.store.db);
    expect(rows[0]!.n).toBe(0);
    await shot('09-attention-retried');
  });

  it('shows stock rows with filters', async () => {
    await page.goto(`${fx.url}/stock`);
    expect(await page.getByTestId('stock-row').count()).toBe(2);
    await page.getByTestId('stock-pushed').selectOption('true');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-rows').waitFor();
    expect(await page.getByTestId('stock-row').allTextContents()).toEqual([expect.stringMatching(/LX-A.*SKU-0.*12.*10.*\+2.*yes.*yes.*req-2/s)]);
    await shot('10-stock');
  });

  it('checks a range and marks each order of it', async () => {
    await page.goto(`${fx.url}/check-range`);
    await page.getByTestId('check-start').fill('2026-02-28T19:00');
    await page.getByTestId('check-end').fill('2026-02-28T19:04');
    await page.getByTestId('check-submit').click();
    await page.getByTestId('check-orders').waitFor({ timeout: 15_000 });
    expect((await page.getByTestId('check-row').allTextContents()).map((t) => t.slice(0, 5))).toEqual(['C-003', 'C-002', 'C-001', 'C-000']);
    expect(await page.getByTestId('check-row').locator('td:nth-child(3)').allTextContents()).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await page.getByTestId('missing-local-none').isVisible()).toBe(true);
    await shot('11-check-range');
  });

  it('shows attention counts on the overview, linking to the console', async () => {
    await page.goto(`${fx.url}/`);
    expect(await page.getByTestId('attention-summary-last_error').textContent()).toBe('1');
    expect(await page.getByTestId('attention-summary-write').textContent()).toBe('1');
    await shot('00-overview');
    await page.getByRole('link', { name: 'Attention', exact: true }).click();
    await page.getByTestId('attention-counts').waitFor();
  });

  it('ran every page without a CSP violation', () => {
    expect(cspErrors).toEqual([]);
  });
});

describe('console without JavaScript', () => {
  it('reads the orders list, a detail, attention and stock', async () => {
    const nojs = await launch({ javaScriptEnabled: false, extraHTTPHeaders: { authorization: ALICE.authorization } });
    try {
      const p = nojs.pages()[0] ?? (await nojs.newPage());
      await p.goto(`${fx.url}/orders?status=1`);
      expect(await p.getByTestId('order-row').count()).toBeGreaterThan(0);
      await p.getByTestId('filter-retailer').fill('R-EVEN');
      await p.getByTestId('filter-submit').click();
      await p.getByTestId('orders-table').waitFor();
      expect(new URL(p.url()).searchParams.get('retailer')).toBe('R-EVEN');
      await p.goto(`${fx.url}/orders/C-001`);
      expect(await p.getByTestId('writes-table').isVisible()).toBe(true);
      await p.getByTestId('payload').locator('summary').click();
      expect(await p.getByTestId('payload-json').isVisible()).toBe(true);
      expect(await p.getByTestId('copy-payload').isVisible()).toBe(false);
      await p.screenshot({ path: join(shots, '12-detail-without-js.png'), fullPage: true });
      await p.goto(`${fx.url}/attention`);
      expect(await p.getByTestId('attention-counts').isVisible()).toBe(true);
      await p.goto(`${fx.url}/orders?status=9`);
      expect(await p.getByTestId('page-error').textContent()).toMatch(/query\.status/);
      await p.screenshot({ path: join(shots, '13-bad-filter.png'), fullPage: true });
    } finally {
      await nojs.close();
    }
  }, 30_000);
});

async function expectText(locator: ReturnType<Page['getByTestId']>, pattern: RegExp): Promise<void> {
  await locator.first().waitFor();
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.first().textContent()) ?? '';
    if (pattern.test(text.trim())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(text.trim()).toMatch(pattern);
}
