import { sql } from 'kysely';
import {
  InvalidCursorError,
  InvalidPatchError,
  InvalidTransitionError,
  isOrderStatus,
  type OrderPatch,
  type OrderRow,
  type OrderStatus,
  type Store,
} from '../src/index.js';
import { forceStatus, pulledOrder, truncateAll, useStore } from './fixtures.js';

const fx = useStore();

const pos = (rows: OrderRow[]) => rows.map((r) => r.po_number);

describe('orders.transition', () => {
  it('moves a row at `from` to `to`, applying the patch and bumping updated_at', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('T-1')]);
    const before = await fx.store.orders.getByPo('T-1');

    expect(await fx.store.orders.transition('T-1', 1, 2, { lingxing_order_nos: 'LX-9' })).toBe(true);

    const after = await fx.store.orders.getByPo('T-1');
    expect(after).toMatchObject({ status: 2, lingxing_order_nos: 'LX-9', shipped_tracking_no: null });
    expect(after!.updated_at.getTime()).toBeGreaterThan(before!.updated_at.getTime());
  });

  it('returns false and changes nothing when the row is not at `from`', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('T-2')]);
    await forceStatus(fx.store.db, 'T-2', 3);
    const before = await fx.store.orders.getByPo('T-2');

    expect(await fx.store.orders.transition('T-2', 2, 3, { lingxing_order_nos: 'LX-X' })).toBe(false);
    expect(await fx.store.orders.transition('NO-SUCH-PO', 1, 2)).toBe(false);

    expect(await fx.store.orders.getByPo('T-2')).toEqual(before);
  });

  it.each([
    [3, 2, /never moves backwards/],
    [5, 1, /never moves backwards/],
    [6, 1, /never moves backwards/],
    [2, 2, /use patch\(\)/],
    [1, 6, /only pull/],
    [4, 6, /only pull/],
    [0, 1, /statuses are 1\.\.6/],
  ] as [OrderStatus, OrderStatus, RegExp][])('throws for %i -> %i without touching the row', async (from, to, message) => {
    await fx.store.orders.upsertPulled([pulledOrder('T-3')]);
    await forceStatus(fx.store.db, 'T-3', isOrderStatus(from) ? from : 1);
    const before = await fx.store.orders.getByPo('T-3');

    const attempt = fx.store.orders.transition('T-3', from, to);
    await expect(attempt).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(fx.store.orders.transition('T-3', from, to)).rejects.toThrow(message);
    await expect(fx.store.orders.transitionMany(['T-3'], from, to)).rejects.toBeInstanceOf(InvalidTransitionError);

    expect(await fx.store.orders.getByPo('T-3')).toEqual(before);
  });

  it('refuses fields outside the patchable set', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('T-4')]);
    const patch = { status: 5 } as unknown as OrderPatch;
    await expect(fx.store.orders.transition('T-4', 1, 2, patch)).rejects.toBeInstanceOf(InvalidPatchError);
    expect((await fx.store.orders.getByPo('T-4'))?.status).toBe(1);
  });
});

describe('orders.transitionMany', () => {
  it('moves only the rows still at `from` and returns them', async () => {
    await fx.store.orders.upsertPulled(['M-1', 'M-2', 'M-3'].map((po) => pulledOrder(po)));
    await forceStatus(fx.store.db, 'M-2', 2);

    const moved = await fx.store.orders.transitionMany(['M-1', 'M-2', 'M-3', 'M-NONE'], 1, 2);

    expect(moved.sort()).toEqual(['M-1', 'M-3']);
    expect((await fx.store.orders.getByPos(['M-1', 'M-2', 'M-3'])).map((r) => r.status)).toEqual([2, 2, 2]);
    expect(await fx.store.orders.transitionMany([], 1, 2)).toEqual([]);
  });
});

describe('orders.transitionEach', () => {
  it('moves many rows in one statement, each with its own patch, only from `from`', async () => {
    await fx.store.orders.upsertPulled(['E-1', 'E-2', 'E-3'].map((po) => pulledOrder(po)));
    await forceStatus(fx.store.db, 'E-2', 2);

    const moved = await fx.store.orders.transitionEach(
      [
        { po: 'E-1', patch: { lingxing_order_nos: 'G1' } },
        { po: 'E-2', patch: { lingxing_order_nos: 'G2' } },
        { po: 'E-3', patch: { lingxing_order_nos: 'G3a,G3b' } },
        { po: 'E-NONE' },
      ],
      1,
      2,
    );

    expect(moved.sort()).toEqual(['E-1', 'E-3']);
    const rows = await fx.store.orders.getByPos(['E-1', 'E-2', 'E-3']);
    expect(rows.map((r) => [r.po_number, r.status, r.lingxing_order_nos])).toEqual([
      ['E-1', 2, 'G1'],
      ['E-2', 2, null],
      ['E-3', 2, 'G3a,G3b'],
    ]);
    expect(await fx.store.orders.transitionEach([], 1, 2)).toEqual([]);
    await expect(fx.store.orders.transitionEach([{ po: 'E-1' }], 2, 1)).rejects.toBeInstanceOf(InvalidTransitionError);
  });
});

describe('orders.patch', () => {
  it('updates fields only while the row is at the expected status', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('P-1')]);
    await forceStatus(fx.store.db, 'P-1', 3);

    expect(await fx.store.orders.patch('P-1', 3, { shipped_tracking_no: 'T1' })).toBe(true);
    expect(await fx.store.orders.patch('P-1', 3, { shipped_tracking_no: 'T1,T2' })).toBe(true);
    expect(await fx.store.orders.patch('P-1', 4, { shipped_tracking_no: 'WRONG' })).toBe(false);

    expect(await fx.store.orders.getByPo('P-1')).toMatchObject({ status: 3, shipped_tracking_no: 'T1,T2' });
  });

  it('rejects an empty patch', async () => {
    await expect(fx.store.orders.patch('P-1', 3, {})).rejects.toBeInstanceOf(InvalidPatchError);
  });
});

describe('orders reads', () => {
  beforeEach(async () => {
    await fx.store.orders.upsertPulled([
      pulledOrder('L-C', { dsco_create_time: 300 }),
      pulledOrder('L-A', { dsco_create_time: 100 }),
      pulledOrder('L-B2', { dsco_create_time: 200 }),
      pulledOrder('L-B1', { dsco_create_time: 200 }),
      pulledOrder('L-D', { dsco_create_time: 50, pulledStatus: 5 }),
    ]);
  });

  it('listByStatus returns oldest dsco_create_time first, ties by po_number, up to limit', async () => {
    expect(pos(await fx.store.orders.listByStatus(1, { limit: 10 }))).toEqual(['L-A', 'L-B1', 'L-B2', 'L-C']);
    expect(pos(await fx.store.orders.listByStatus(1, { limit: 2 }))).toEqual(['L-A', 'L-B1']);
    expect(pos(await fx.store.orders.listByStatus(5, { limit: 10 }))).toEqual(['L-D']);
  });

  it('listByStatus with poNumber returns exactly that PO, and only at that status', async () => {
    expect(pos(await fx.store.orders.listByStatus(1, { limit: 10, poNumber: 'L-B2' }))).toEqual(['L-B2']);
    expect(await fx.store.orders.listByStatus(1, { limit: 10, poNumber: 'L-D' })).toEqual([]);
    expect(await fx.store.orders.listByStatus(1, { limit: 10, poNumber: 'L-B' })).toEqual([]);
  });

  it('reads dsco_create_time (int8) as a number', async () => {
    const row = await fx.store.orders.getByPo('L-A');
    expect(row?.dsco_create_time).toBe(100);
    expect(typeof row?.id).toBe('number');
    expect(await fx.store.orders.maxCreateTime()).toBe(300);
  });

  it('getByPos returns the existing rows by po_number', async () => {
    expect(pos(await fx.store.orders.getByPos(['L-C', 'NOPE', 'L-A']))).toEqual(['L-A', 'L-C']);
    expect(await fx.store.orders.getByPos([])).toEqual([]);
    expect(await fx.store.orders.getByPo('NOPE')).toBeUndefined();
  });

  it('countByStatus reports every status, zeros included', async () => {
    expect(await fx.store.orders.countByStatus()).toEqual({ 1: 4, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0 });
  });

  it('countAtStatus counts the rows at a status up to the given number only', async () => {
    expect(await fx.store.orders.countAtStatus(1, 10)).toBe(4);
    expect(await fx.store.orders.countAtStatus(1, 2)).toBe(2);
    expect(await fx.store.orders.countAtStatus(3, 10)).toBe(0);
    await expect(fx.store.orders.countAtStatus(1, 0)).rejects.toThrow('limit must be a positive integer, got 0');
  });

  it('countAtStatus with updatedBefore counts only the rows not updated since', async () => {
    await sql`UPDATE dsco_order_sync SET updated_at = now() - interval '1 hour' WHERE status = 1`.execute(fx.store.db);
    await sql`UPDATE dsco_order_sync SET updated_at = now() WHERE po_number = (SELECT min(po_number) FROM dsco_order_sync WHERE status = 1)`.execute(fx.store.db);
    expect(await fx.store.orders.countAtStatus(1, 10, { updatedBefore: new Date(Date.now() - 60_000) })).toBe(3);
    expect(await fx.store.orders.countAtStatus(1, 10, { updatedBefore: new Date(Date.now() + 60_000) })).toBe(4);
  });

  it('listDue leaves out the excluded POs, as if they were at another status', async () => {
    const all = await fx.store.orders.listDue(1, { limit: 10, now: new Date() });
    const [first, ...rest] = all.items.map((r) => r.po_number);
    const without = await fx.store.orders.listDue(1, { limit: 10, now: new Date(), exclude: [first!] });
    expect(without.items.map((r) => r.po_number)).toEqual(rest);
  });

  it('leaves out POs with quotes and backslashes, and a list that grew since it was last passed', async () => {
    const odd = ['Q"1', 'Q\\2', 'Q,{3}'];
    await fx.store.orders.upsertPulled(odd.map((po) => pulledOrder(po)));
    const now = new Date();
    const due = (await fx.store.orders.listDue(1, { limit: 50, now })).items.map((r) => r.po_number);
    expect(due).toEqual(expect.arrayContaining(odd));
    const exclude = [odd[0]!, odd[1]!];
    expect(await fx.store.orders.countDue(1, { upTo: 50, now, exclude })).toBe(due.length - 2);
    expect(await fx.store.orders.countDue(1, { upTo: 50, now, exclude })).toBe(due.length - 2);
    exclude.push(odd[2]!);
    const page = await fx.store.orders.listDue(1, { limit: 50, now, exclude });
    expect(page.items.map((r) => r.po_number)).toEqual(due.filter((po) => !odd.includes(po)));
  });

  it('countDue counts what listDue would list, up to the given number', async () => {
    const now = new Date();
    const due = (await fx.store.orders.listDue(1, { limit: 10, now })).items.map((r) => r.po_number);
    expect(await fx.store.orders.countDue(1, { upTo: 10, now })).toBe(due.length);
    expect(await fx.store.orders.countDue(1, { upTo: 2, now })).toBe(2);
    expect(await fx.store.orders.countDue(1, { upTo: 10, now, exclude: [due[0]!] })).toBe(due.length - 1);
    await fx.store.orders.recordSkip(due[1]!, 1, 'skipped', now);
    expect(await fx.store.orders.countDue(1, { upTo: 10, now })).toBe(due.length - 1);
    await expect(fx.store.orders.countDue(1, { upTo: 0, now })).rejects.toThrow('limit must be a positive integer, got 0');
  });

  it('maxCreateTime is undefined on an empty table', async () => {
    await truncateAll(fx.store.db);
    expect(await fx.store.orders.maxCreateTime()).toBeUndefined();
  });

  it('listStuck returns rows at 1..4 not updated since the cut-off, least recent first', async () => {
    await sql`UPDATE dsco_order_sync SET updated_at = now() - interval '2 hours' WHERE po_number IN ('L-B1', 'L-D')`.execute(fx.store.db);
    await sql`UPDATE dsco_order_sync SET updated_at = now() - interval '3 hours' WHERE po_number = 'L-C'`.execute(fx.store.db);
    const hourAgo = new Date(Date.now() - 3_600_000);

    expect(pos(await fx.store.orders.listStuck({ olderThan: hourAgo }))).toEqual(['L-C', 'L-B1']);
    expect(pos(await fx.store.orders.listStuck({ olderThan: hourAgo, limit: 1 }))).toEqual(['L-C']);
    expect(await fx.store.orders.listStuck({ olderThan: hourAgo, statuses: [2, 3] })).toEqual([]);
  });
});

describe('orders.search', () => {
  const all = async (query: Parameters<Store['orders']['search']>[0]) => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await fx.store.orders.search({ ...query, after });
      expect(result.items.length).toBeLessThanOrEqual(query.limit);
      seen.push(...pos(result.items));
      if (result.nextCursor === null) return seen;
      after = result.nextCursor;
    }
    throw new Error('pagination did not end');
  };

  beforeEach(async () => {
    // 53 orders over 7 distinct create times, so pages split inside runs of equal times.
    await fx.store.orders.upsertPulled(
      Array.from({ length: 53 }, (_, i) =>
        pulledOrder(`S_${String(i).padStart(2, '0')}`, { dsco_create_time: 1000 + (i % 7), pulledStatus: i % 3 ? 1 : 5 }),
      ),
    );
    await fx.store.orders.upsertPulled([pulledOrder('SX99', { dsco_create_time: 999 })]);
  });

  it('pages through every row exactly once, newest first by default', async () => {
    const seen = await all({ limit: 5 });
    const expected = (await fx.store.db.selectFrom('dsco_order_sync').select(['po_number', 'dsco_create_time']).execute())
      .sort((a, b) => b.dsco_create_time - a.dsco_create_time || (a.po_number < b.po_number ? 1 : -1))
      .map((r) => r.po_number);
    expect(seen).toHaveLength(54);
    expect(seen).toEqual(expected);
  });

  it('pages ascending with a status filter', async () => {
    const seen = await all({ limit: 4, status: 5, order: 'asc' });
    const expected = (await fx.store.orders.listByStatus(5, { limit: 100 })).map((r) => r.po_number);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(18);
  });

  it('matches poPrefix literally (_ is not a wildcard)', async () => {
    const seen = await all({ limit: 50, poPrefix: 'S_' });
    expect(seen).toHaveLength(53);
    expect(seen).not.toContain('SX99');
  });

  it('returns nextCursor null when the last page is exactly full', async () => {
    const page = await fx.store.orders.search({ limit: 54 });
    expect(page.items).toHaveLength(54);
    expect(page.nextCursor).toBeNull();
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(fx.store.orders.search({ limit: 5, after: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    const forged = Buffer.from(JSON.stringify(['1', 'x'])).toString('base64url');
    await expect(fx.store.orders.search({ limit: 5, after: forged })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
