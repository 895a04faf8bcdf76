import { backoffSeconds, DEFAULT_BACKOFF, type OrderRow } from '../src/index.js';
import { forceStatus, pulledOrder, useStore } from './fixtures.js';

const fx = useStore({ backoff: { baseSeconds: 60, maxSeconds: 300, waitingSeconds: 30 } });

const pos = (rows: OrderRow[]) => rows.map((r) => r.po_number);
const T0 = new Date('2026-03-01T12:00:00Z');
const plus = (s: number) => new Date(T0.getTime() + s * 1000);

async function seed(n: number): Promise<void> {
  await fx.store.orders.upsertPulled(
    Array.from({ length: n }, (_, i) => pulledOrder(`F-${i}`, { dsco_create_time: 1_750_000_000 + i })),
  );
}

describe('backoffSeconds', () => {
  it('doubles from the base and stops at the cap', () => {
    const policy = { baseSeconds: 60, maxSeconds: 300, waitingSeconds: 30 };
    expect([1, 2, 3, 4, 5, 40].map((a) => backoffSeconds(a, policy))).toEqual([60, 120, 240, 300, 300, 300]);
    expect(DEFAULT_BACKOFF).toEqual({ baseSeconds: 60, maxSeconds: 3600, waitingSeconds: 60 });
  });
});

describe('orders.listDue / recordSkips', () => {
  it('skips rows that are backing off, oldest due rows first, and pages by keyset', async () => {
    await seed(4);
    expect(await fx.store.orders.recordSkips([{ po: 'F-0', reason: 'no price' }, { po: 'F-1', reason: 'no store' }], 1, T0)).toEqual(['F-0', 'F-1']);

    const first = await fx.store.orders.listDue(1, { limit: 1, now: T0 });
    expect(pos(first.items)).toEqual(['F-2']);
    const second = await fx.store.orders.listDue(1, { limit: 5, now: T0, after: first.nextCursor! });
    expect(pos(second.items)).toEqual(['F-3']);
    expect(second.nextCursor).toBeNull();
    // Once the backoff has passed they are due again, still oldest first.
    expect(pos((await fx.store.orders.listDue(1, { limit: 10, now: plus(60) })).items)).toEqual(['F-0', 'F-1', 'F-2', 'F-3']);
  });

  it('pages due rows whose backoff passed and rows never deferred as one list, oldest first', async () => {
    await seed(6);
    // F-1 and F-4 were deferred and are due again at plus(60); F-3 is deferred past it.
    await fx.store.orders.recordSkips([{ po: 'F-1', reason: 'a' }, { po: 'F-4', reason: 'b' }], 1, T0);
    await fx.store.orders.recordSkips([{ po: 'F-3', reason: 'c', waiting: true }], 1, plus(45));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const got = await fx.store.orders.listDue(1, { limit: 2, now: plus(60), ...(after !== undefined && { after }) });
      seen.push(...pos(got.items));
      if (got.nextCursor === null) break;
      after = got.nextCursor;
    }
    expect(seen).toEqual(['F-0', 'F-1', 'F-2', 'F-4', 'F-5']);
    expect(await fx.store.orders.countDue(1, { upTo: 10, now: plus(60) })).toBe(5);
    expect(await fx.store.orders.countDue(1, { upTo: 3, now: plus(60) })).toBe(3);
  });

  it('records the reason, counts attempts and backs off exponentially up to the cap', async () => {
    await seed(1);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(await fx.store.orders.recordSkip('F-0', 1, `reason ${i}`, T0)).toBe(true);
      const row = (await fx.store.orders.getByPo('F-0'))!;
      waits.push((row.next_attempt_at!.getTime() - T0.getTime()) / 1000);
      expect(row).toMatchObject({ attempts: i + 1, last_error: `reason ${i}`, last_error_at: T0 });
    }
    expect(waits).toEqual([60, 120, 240, 300, 300]);
  });

  it('a waiting row comes back after the fixed delay, counts no attempt and keeps its last error', async () => {
    await seed(1);
    await fx.store.orders.recordSkip('F-0', 1, 'no price', T0);
    for (let i = 0; i < 3; i++) {
      await fx.store.orders.recordSkips([{ po: 'F-0', reason: 'Lingxing has not shipped it yet', waiting: true }], 1, plus(1000 * (i + 1)));
      const row = (await fx.store.orders.getByPo('F-0'))!;
      expect((row.next_attempt_at!.getTime() - plus(1000 * (i + 1)).getTime()) / 1000).toBe(30);
      expect(row).toMatchObject({ attempts: 1, last_error: 'no price', last_error_at: T0 });
    }
  });

  it('takes the run policy over the fx.store policy (the runtime config retry section)', async () => {
    await seed(2);
    await fx.store.orders.recordSkips([{ po: 'F-0', reason: 'x' }, { po: 'F-1', reason: 'y', waiting: true }], 1, T0, { baseSeconds: 5, maxSeconds: 10, waitingSeconds: 2 });
    const [a, b] = await fx.store.orders.getByPos(['F-0', 'F-1']);
    expect((a!.next_attempt_at!.getTime() - T0.getTime()) / 1000).toBe(5);
    expect((b!.next_attempt_at!.getTime() - T0.getTime()) / 1000).toBe(2);
  });

  it('is guarded by status: a row that moved on is not recorded', async () => {
    await seed(1);
    await forceStatus(fx.store.db, 'F-0', 2);
    expect(await fx.store.orders.recordSkip('F-0', 1, 'late', T0)).toBe(false);
    expect(await fx.store.orders.getByPo('F-0')).toMatchObject({ attempts: 0, last_error: null, next_attempt_at: null });
  });

  it('counts a PO reported twice in one call once', async () => {
    await seed(1);
    await fx.store.orders.recordSkips([{ po: 'F-0', reason: 'a' }, { po: 'F-0', reason: 'b' }], 1, T0);
    expect(await fx.store.orders.getByPo('F-0')).toMatchObject({ attempts: 1, last_error: 'b' });
  });

  it('a successful transition (one, many, each, or by re-pull) starts the retry bookkeeping afresh', async () => {
    await seed(4);
    await fx.store.orders.recordSkips(['F-0', 'F-1', 'F-2', 'F-3'].map((po) => ({ po, reason: 'x' })), 1, T0);
    await fx.store.orders.transition('F-0', 1, 2);
    await fx.store.orders.transitionMany(['F-1'], 1, 2);
    await fx.store.orders.transitionEach([{ po: 'F-2', patch: { lingxing_order_nos: '1' } }], 1, 2);
    await fx.store.orders.upsertPulled([pulledOrder('F-3', { dsco_create_time: 1_750_000_003, pulledStatus: 6, dsco_status: 'cancelled' })]);
    for (const po of ['F-0', 'F-1', 'F-2', 'F-3']) {
      expect(await fx.store.orders.getByPo(po)).toMatchObject({ attempts: 0, last_error: null, last_error_at: null, next_attempt_at: null });
    }
  });

  it('a re-pull that does not change the status keeps the backoff', async () => {
    await seed(1);
    await fx.store.orders.recordSkip('F-0', 1, 'no price', T0);
    await fx.store.orders.upsertPulled([pulledOrder('F-0', { dsco_create_time: 1_750_000_000, mskus: 'SKU-B(1)' })]);
    expect(await fx.store.orders.getByPo('F-0')).toMatchObject({ attempts: 1, last_error: 'no price', mskus: 'SKU-B(1)' });
  });
});
