import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { useTestEnv } from '@dlsync/infra/testing';
import type { TaskWorkers } from '@dlsync/queue';
import { assertChromium, launchChromium } from './chromium.js';
import { ALICE_PASSWORD, CAROL_PASSWORD, makeAdminFixture, makeTestRegistry, seedOrders, startTestWorkers, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();

let fx: AdminFixture;
let workers: TaskWorkers;
let profileDir: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // Before anything starts: a missing browser is one line with the fix, not a Playwright stack.
  assertChromium();
  fx = await makeAdminFixture(testEnv);
  workers = startTestWorkers(fx, makeTestRegistry(), ['ack_to_dsco']);
  const statuses = [1, 1, 1, 2, 2, 3, 4, 5, 5, 5, 5, 6] as const;
  await seedOrders(fx.store, statuses.map((status, i) => ({ po: `PO-B-${i}`, status })));
  profileDir = await mkdtemp(join(tmpdir(), 'dlsync-admin-chromium-'));
  // A fresh profile per run (Playwright passes it to Chromium as --user-data-dir).
  context = await launchChromium(profileDir);
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
}, 40_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await workers?.close();
  await fx?.close();
});

describe('overview page in Chromium', () => {
  it('asks for a login, refuses a wrong password, then shows the overview', async () => {
    const first = await page.goto(`${fx.url}/`);
    expect(first?.status()).toBe(401);
    await page.getByTestId('login-user').fill('alice');
    await page.getByTestId('login-password').fill('wrong password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-error'), /Wrong user name or password/);

    await page.getByTestId('login-user').fill('alice');
    await page.getByTestId('login-password').fill(ALICE_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('funnel').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('shows funnel counts that match the database', async () => {
    const counts = await fx.store.orders.countByStatus();
    for (const status of [1, 2, 3, 4, 5, 6] as const) {
      expect({ status, shown: await page.getByTestId(`funnel-count-${status}`).textContent() }).toEqual({
        status,
        shown: String(counts[status]),
      });
    }
    expect(counts).toEqual({ 1: 3, 2: 2, 3: 1, 4: 1, 5: 4, 6: 1 });
  });

  it('runs one PO through the queue and shows the report', async () => {
    await page.getByTestId('run-task').selectOption('ack_to_dsco');
    await page.getByTestId('run-po').fill('PO-B-3');
    await page.getByTestId('run-submit').click();
    await expectText(page.getByTestId('run-status'), /^ok$/);
    const items = await page.getByTestId('run-items').locator('tbody tr').allTextContents();
    expect(items).toEqual(['PO-B-3ok']);
    expect(JSON.parse((await page.getByTestId('run-report-json').textContent()) ?? '{}')).toMatchObject({
      task: 'ack_to_dsco',
      trigger: 'manual',
      counts: { ok: 1 },
    });

    await page.reload();
    await expectText(page.getByTestId('latest-run-ack_to_dsco'), /ok/);
  });

  it('shows API refusals with their reason', async () => {
    await page.getByTestId('run-po').fill('bad po!');
    await page.getByTestId('run-submit').click();
    await expectText(page.getByTestId('run-error'), /Refused \(400\)/);
    await expectText(page.getByTestId('run-result'), /body\.po_number: may only contain/);
  });

  it('opens Bull Board behind the login, and not without it', async () => {
    await page.getByTestId('bull-board-link').click();
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('ack_to_dsco').first().waitFor({ timeout: 15_000 });

    await context.clearCookies();
    const res = await page.goto(`${fx.url}/admin/queues`);
    expect(res?.status()).toBe(401);
  }, 25_000);

  it('shows a viewer Bull Board in its read-only mode, where an admin has the buttons', async () => {
    // The completed ack_to_dsco run of the test above is on this page.
    const board = '/admin/queues/queue/ack_to_dsco?status=completed';
    const signInTo = async (user: string, password: string) => {
      await context.clearCookies();
      await page.goto(`${fx.url}/login?next=${encodeURIComponent(board)}`);
      await page.getByTestId('login-user').fill(user);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/admin\/queues\/queue\/ack_to_dsco/);
    };
    await signInTo('alice', ALICE_PASSWORD);
    await page.getByRole('button', { name: 'Clean all' }).first().waitFor({ timeout: 15_000 });

    await signInTo('carol', CAROL_PASSWORD);
    // The board has loaded the queue's jobs (the PO of the earlier run is shown) ...
    await page.getByText('PO-B-3').first().waitFor({ timeout: 15_000 });
    // ... and offers nothing that changes them.
    for (const name of ['Clean all', 'Retry all', 'Add job']) {
      expect({ name, count: await page.getByRole('button', { name }).count() }).toEqual({ name, count: 0 });
    }
  }, 40_000);
});

/** Waits until the element's text matches (the page updates asynchronously). */
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
