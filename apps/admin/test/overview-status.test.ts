import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { parseRuntimeConfig } from '@dlsync/config';
import { useTestEnv } from '@dlsync/infra/testing';
import { enqueue, reconcileSchedulers, type TaskWorkers } from '@dlsync/queue';
import type { TaskFn, TaskRegistry } from '@dlsync/runner';
import { describeStatus, type OrderStatus } from '@dlsync/store';
import { launchChromium } from './chromium.js';
import { ALICE_PASSWORD, makeAdminFixture, makeTestRegistry, seedOrders, startTestWorkers, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();
const SHOTS = process.env.DLSYNC_SCREENSHOT_DIR ?? tmpdir();

let fx: AdminFixture;
let workers: TaskWorkers;
let ackWorkers: TaskWorkers;
let profileDir: string;
let context: BrowserContext;
let page: Page;

/** Resolves once `check` is true (queue state changes asynchronously); gives up after ~15 s. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  // The page is rendered 20 minutes after the config was saved: four 5-minute intervals
  // (overdue), a third of an hourly one (not overdue).
  fx = await makeAdminFixture(testEnv, { now: () => new Date(Date.now() + 20 * 60_000), waitTimeoutMs: 1_000, admin: { display_timezone: 'America/New_York' } });
  const config = parseRuntimeConfig({
    jobs: {
      pull_dsco_orders: { enabled: true, cron: '*/5 * * * *' },
      ship_to_dsco: { enabled: true, cron: '0 * * * *' },
      push_to_lingxing: { enabled: false },
    },
  });
  await fx.store.runtimeConfig.save(config, { expectedVersion: null, updatedBy: 'test' });
  await reconcileSchedulers(fx.queues, config);
  await seedOrders(fx.store, [{ po: 'PO-O-1', status: 1 }, { po: 'PO-O-2', status: 2 }]);
  // pull_dsco_orders fails like an outage would; ship_to_dsco works.
  workers = startTestWorkers(fx, makeTestRegistry({ fail: ['pull_dsco_orders'] }), ['pull_dsco_orders', 'ship_to_dsco']);
  // ack_to_dsco reads its orders at status 2, as the real task does, and records nothing otherwise.
  const atStatusTwo: TaskFn = async (ctx) => {
    for (const row of await ctx.store.orders.listByStatus(2, { limit: 1, poNumber: ctx.onlyPoNumber! })) ctx.orderDone(row.po_number, 'ok');
  };
  ackWorkers = startTestWorkers(fx, { ...makeTestRegistry(), ack_to_dsco: atStatusTwo } as TaskRegistry, ['ack_to_dsco']);

  const shipped = await enqueue(fx.queues, 'ship_to_dsco', { trigger: 'manual' });
  await until(async () => (await shipped.getState()) === 'completed', 'ship_to_dsco to complete');
  const pulled = await enqueue(fx.queues, 'pull_dsco_orders', { trigger: 'manual' });
  // Default job options: 3 attempts, 30 s backoff, so after one failure it waits to retry.
  await until(async () => (await fx.queues.pull_dsco_orders.getJob(pulled.id!))?.attemptsMade === 1 && (await pulled.getState()) === 'delayed', 'the first attempt to fail');

  profileDir = await mkdtemp(join(tmpdir(), 'dlsync-overview-chromium-'));
  context = await launchChromium(profileDir, { viewport: { width: 1400, height: 1000 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  await page.goto(`${fx.url}/`);
  await page.getByTestId('login-user').fill('alice');
  await page.getByTestId('login-password').fill(ALICE_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('latest-runs').waitFor();
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await workers?.close();
  await ackWorkers?.close();
  await fx?.close();
});

const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('overview task status in Chromium', () => {
  it('shows a task retrying after a failure as retrying (attempt 2 of 3, last error), not ok, and overdue', async () => {
    await page.screenshot({ path: join(SHOTS, 'dlsync-overview-retrying.png'), fullPage: true });
    const state = await text('state-pull_dsco_orders');
    expect(state).toMatch(/^retrying: attempt 2 of 3/);
    expect(state).toMatch(/last error: pull_dsco_orders run \S+ failed: pull_dsco_orders exploded$/);
    expect(await page.getByTestId('latest-run-pull_dsco_orders').getAttribute('class')).toContain('task-stale');
    expect(await text('stale-pull_dsco_orders')).toBe('no success in 3 intervals');
    expect(await text('last-success-pull_dsco_orders')).toBe('—');
  });

  it('shows schedule, next run and last success in the display zone; a healthy task is not flagged', async () => {
    const row = await text('latest-run-ship_to_dsco');
    expect(row).toMatch(/0 \* \* \* \* ?next \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(await text('state-ship_to_dsco')).toMatch(/^ok, finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(\d+ min ago\)$/);
    expect(await text('last-success-ship_to_dsco')).toMatch(/\(\d+ min ago\)$/);
    expect(await page.getByTestId('stale-ship_to_dsco').count()).toBe(0);
    expect(await text('latest-run-push_to_lingxing')).toContain('disabled');
    expect(await text('state-check_orders')).toBe('never run');
    expect(await page.getByRole('heading', { name: /Tasks/ }).textContent()).toContain('America/New_York');
  });

  it('has Bull Board show times in the same zone', async () => {
    const board = await page.goto(`${fx.url}/admin/queues`);
    const ui = JSON.parse((await board!.text()).match(/<script id="__UI_CONFIG__" type="application\/json">([^<]*)<\/script>/)![1]!) as {
      dateFormats: Record<string, { timeZone: string }>;
    };
    expect(Object.values(ui.dateFormats).map((f) => f.timeZone)).toEqual(['America/New_York', 'America/New_York', 'America/New_York']);
    await page.goto(`${fx.url}/admin/queues/queue/ship_to_dsco?status=completed`);
    await page.getByText(/EST|EDT|GMT-/).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'dlsync-bull-board-zone.png'), fullPage: true });
    await page.goto(`${fx.url}/`);
    await page.getByTestId('latest-runs').waitFor();
  }, 30_000);

  it('links every status card to the filtered order list', async () => {
    for (const status of [1, 2, 3, 4, 5, 6]) {
      expect(await page.getByTestId(`funnel-link-${status}`).getAttribute('href')).toBe(`/orders?status=${status}`);
      // The same words the CLI prints (one table in @dlsync/store).
      expect((await text(`funnel-link-${status}`)).endsWith(describeStatus(status as OrderStatus))).toBe(true);
    }
  });

  it('queues one run for a double click on "Run now"', async () => {
    // invoice_to_dsco has no worker here, so the first run is still waiting when the second click lands.
    await page.getByTestId('run-now-invoice_to_dsco').dblclick();
    await until(async () => (await fx.queues.invoice_to_dsco.getWaitingCount()) >= 1, 'the run to be queued');
    await page.getByTestId('run-now-invoice_to_dsco').click();
    await page.getByText(/still waiting/).first().waitFor();
    expect(await fx.queues.invoice_to_dsco.getWaitingCount()).toBe(1);
  });

  it('says when a single-PO run did not process its PO, and why', async () => {
    const run = async (po: string) => {
      await page.getByTestId('run-task').selectOption('ack_to_dsco');
      await page.getByTestId('run-po').fill(po);
      await page.getByTestId('run-submit').click();
      await page.getByText(`PO ${po}:`).waitFor();
      return text('run-single-po');
    };
    expect(await run('po-o-1')).toBe('PO po-o-1: NOT processed (skipped), not found locally (hint: PO-O-1 exists (PO numbers are matched exactly))');
    expect(await run('PO-O-1')).toBe('PO PO-O-1: NOT processed (skipped), at status 1 · to push; ack_to_dsco handles status 2 · to ack; the task for it is push_to_lingxing');
    expect(await run('PO-O-2')).toBe('PO PO-O-2: processed');
    await page.screenshot({ path: join(SHOTS, 'dlsync-overview-single-po.png'), fullPage: true });
  });
});
