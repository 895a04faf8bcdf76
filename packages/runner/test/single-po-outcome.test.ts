import { sql } from 'kysely';
import { TASK_NAMES } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import type { LingxingClient } from '@dlsync/lingxing';
import { makeSilentLogger } from '@dlsync/logger';
import { runTask, singlePoOutcomeOf, type RunnerDeps, type TaskFn, type TaskRegistry } from '@dlsync/runner';
import { makeStore, type PulledOrderRow, type Store } from '@dlsync/store';

const env = useTestEnv();
let store: Store;

const order = (po: string): PulledOrderRow => ({
  po_number: po,
  dsco_order_id: `id-${po}`,
  dsco_retailer_id: '1001',
  dsco_status: 'created',
  dsco_create_time: 1_750_000_000,
  mskus: 'SKU-A(1)',
  warehouse_id: 'WH1',
  shipment: 'GROUND',
  payload: { poNumber: po },
  pulledStatus: 1,
});

beforeAll(async () => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
  await store.orders.upsertPulled([order('PO-AT-1'), order('PO-AT-2'), order('PO-UPPER')]);
  // Test setup only: put one row further along than pull would.
  await sql`UPDATE dsco_order_sync SET status = 2 WHERE po_number = 'PO-AT-2'`.execute(store.db);
});
afterAll(() => store.close());

/**
 * A task that, like the real per-status tasks, handles the PO only when its row is at the
 * status the task reads (1 here) and records nothing otherwise.
 */
const atStatusOne: TaskFn = async (ctx) => {
  const rows = await ctx.store.orders.listByStatus(1, { limit: 1, poNumber: ctx.onlyPoNumber! });
  for (const row of rows) ctx.orderDone(row.po_number, 'ok');
};

function deps(fn: TaskFn): RunnerDeps {
  const tasks = Object.fromEntries(TASK_NAMES.map((t) => [t, fn])) as unknown as TaskRegistry;
  return { store, dsco: {} as DscoClient, lingxing: {} as LingxingClient, tasks, logger: makeSilentLogger(), platformCode: 1 };
}

describe('single-PO runs say what happened to the PO', () => {
  it('a PO the task handled: processed, with the task own item', async () => {
    const report = await runTask('push_to_lingxing', { trigger: 'cli', onlyPoNumber: 'PO-AT-1' }, deps(atStatusOne));
    expect(singlePoOutcomeOf(report)).toEqual({ po_number: 'PO-AT-1', result: 'ok', processed: true, reason: 'processed' });
    expect(report.counts).toEqual({ ok: 1, skipped: 0, failed: 0 });
  });

  it('an unknown PO: skipped, not found locally', async () => {
    const report = await runTask('push_to_lingxing', { trigger: 'cli', onlyPoNumber: 'PO9999999' }, deps(atStatusOne));
    expect(report.status).toBe('ok');
    expect(report.counts).toEqual({ ok: 0, skipped: 1, failed: 0 });
    expect(report.items).toEqual([{ po_number: 'PO9999999', result: 'skipped', reason: 'not found locally' }]);
    expect(singlePoOutcomeOf(report)).toMatchObject({ processed: false, reason: 'not found locally' });
  });

  it('a lowercase PO is matched exactly, with a hint naming the upper-case PO that exists', async () => {
    const report = await runTask('push_to_lingxing', { trigger: 'cli', onlyPoNumber: 'po-upper' }, deps(atStatusOne));
    expect(singlePoOutcomeOf(report)).toEqual({
      po_number: 'po-upper',
      result: 'skipped',
      processed: false,
      reason: 'not found locally',
      hint: 'PO-UPPER exists (PO numbers are matched exactly)',
    });
  });

  it('a PO at another status names its status, the status this task handles and the task for it', async () => {
    const report = await runTask('push_to_lingxing', { trigger: 'cli', onlyPoNumber: 'PO-AT-2' }, deps(atStatusOne));
    expect(singlePoOutcomeOf(report)?.reason).toBe(
      'at status 2 · to ack; push_to_lingxing handles status 1 · to push; the task for it is ack_to_dsco',
    );
    expect(report.reasons).toEqual({ 'at status 2 · to ack; push_to_lingxing handles status 1 · to push; the task for it is ack_to_dsco': 1 });
  });

  it('a PO the task skipped keeps the task reason (e.g. not found in DSCO)', async () => {
    const report = await runTask('ack_to_dsco', { trigger: 'cli', onlyPoNumber: 'PO-AT-2' }, deps(async (ctx) => ctx.orderDone(ctx.onlyPoNumber!, 'skipped', 'not found in DSCO')));
    expect(singlePoOutcomeOf(report)).toEqual({ po_number: 'PO-AT-2', result: 'skipped', processed: false, reason: 'not found in DSCO' });
  });

  it('runs without a PO and tasks that are not per order get no single-PO outcome', async () => {
    expect(singlePoOutcomeOf(await runTask('push_to_lingxing', { trigger: 'cli' }, deps(async () => undefined)))).toBeUndefined();
    expect(singlePoOutcomeOf(await runTask('sync_stock', { trigger: 'cli', onlyPoNumber: 'PO-AT-1' }, deps(async () => undefined)))).toBeUndefined();
  });
});
