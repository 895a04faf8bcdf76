import { useTestEnv } from '@dlsync/infra/testing';
import { InvalidPatchError, makeStore, PATCHABLE_ORDER_FIELDS, type OrderPatch, type Store } from '../src/index.js';
import { forceStatus, pulledOrder, truncateAll } from './fixtures.js';

const env = useTestEnv();
let store: Store;

beforeAll(() => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
});
afterAll(() => store.close());
beforeEach(() => truncateAll(store.db));

const FACTS = {
  v: 1,
  shipped: { 'DL-1001': 2, 'DL-1002': 1 },
  last_ship_date: '2026-03-01T10:20:30Z',
  tracking_numbers: ['1ZA', '1ZB'],
  read_at: '2026-03-01T11:00:00.000Z',
};

describe('orders.ship_facts', () => {
  it('is null on a pulled row and round-trips through transition, patch and transitionEach as the same object', async () => {
    await store.orders.upsertPulled(['F-1', 'F-2', 'F-3'].map((po) => pulledOrder(po)));
    await Promise.all(['F-1', 'F-2', 'F-3'].map((po) => forceStatus(store.db, po, 3)));
    expect((await store.orders.getByPo('F-1'))?.ship_facts).toBeNull();

    expect(await store.orders.transition('F-1', 3, 4, { shipped_tracking_no: '1ZA,1ZB', ship_facts: FACTS })).toBe(true);
    expect(await store.orders.getByPo('F-1')).toMatchObject({ status: 4, shipped_tracking_no: '1ZA,1ZB', ship_facts: FACTS });

    const other = { ...FACTS, tracking_numbers: ['1ZC'] };
    expect(await store.orders.patch('F-2', 3, { ship_facts: other })).toBe(true);
    expect((await store.orders.getByPo('F-2'))?.ship_facts).toEqual(other);
    // null clears it
    expect(await store.orders.patch('F-2', 3, { ship_facts: null })).toBe(true);
    expect((await store.orders.getByPo('F-2'))?.ship_facts).toBeNull();

    // One statement for many rows: each row gets its own facts; a row without them keeps its value.
    await store.orders.patch('F-2', 3, { ship_facts: other });
    const moved = await store.orders.transitionEach([{ po: 'F-2' }, { po: 'F-3', patch: { ship_facts: FACTS, shipped_tracking_no: '1ZA' } }], 3, 4);
    expect(moved.sort()).toEqual(['F-2', 'F-3']);
    const rows = await store.orders.getByPos(['F-2', 'F-3']);
    expect(rows.map((r) => [r.po_number, r.status, r.ship_facts])).toEqual([
      ['F-2', 4, other],
      ['F-3', 4, FACTS],
    ]);
  });

  it('keeps the typo guard: unknown fields and wrongly typed values are refused without touching the row', async () => {
    expect(PATCHABLE_ORDER_FIELDS).toContain('ship_facts');
    await store.orders.upsertPulled([pulledOrder('G-1')]);
    await forceStatus(store.db, 'G-1', 3);
    const before = await store.orders.getByPo('G-1');

    const typo = { ship_fact: FACTS } as unknown as OrderPatch;
    await expect(store.orders.patch('G-1', 3, typo)).rejects.toThrow(/ship_fact is not patchable/);
    await expect(store.orders.transition('G-1', 3, 4, typo)).rejects.toBeInstanceOf(InvalidPatchError);
    await expect(store.orders.transitionEach([{ po: 'G-1', patch: typo }], 3, 4)).rejects.toBeInstanceOf(InvalidPatchError);
    for (const bad of ['{"v":1}', [FACTS], 7]) {
      const patch = { ship_facts: bad } as unknown as OrderPatch;
      await expect(store.orders.patch('G-1', 3, patch)).rejects.toThrow(/ship_facts must be a JSON object or null/);
    }
    const textAsObject = { shipped_tracking_no: { a: 1 } } as unknown as OrderPatch;
    await expect(store.orders.patch('G-1', 3, textAsObject)).rejects.toThrow(/must be a string or null/);

    expect(await store.orders.getByPo('G-1')).toEqual(before);
  });
});
