import { InvalidPatchError, PATCHABLE_ORDER_FIELDS, type OrderPatch } from '../src/index.js';
import { forceStatus, pulledOrder, useStore } from './fixtures.js';

const fx = useStore();

const FACTS = {
  v: 1,
  shipped: { 'DL-1001': 2, 'DL-1002': 1 },
  last_ship_date: '2026-03-01T10:20:30Z',
  tracking_numbers: ['1ZA', '1ZB'],
  read_at: '2026-03-01T11:00:00.000Z',
};

describe('orders.ship_facts', () => {
  it('is null on a pulled row and round-trips through transition, patch and transitionEach as the same object', async () => {
    await fx.store.orders.upsertPulled(['F-1', 'F-2', 'F-3'].map((po) => pulledOrder(po)));
    await Promise.all(['F-1', 'F-2', 'F-3'].map((po) => forceStatus(fx.store.db, po, 3)));
    expect((await fx.store.orders.getByPo('F-1'))?.ship_facts).toBeNull();

    expect(await fx.store.orders.transition('F-1', 3, 4, { shipped_tracking_no: '1ZA,1ZB', ship_facts: FACTS })).toBe(true);
    expect(await fx.store.orders.getByPo('F-1')).toMatchObject({ status: 4, shipped_tracking_no: '1ZA,1ZB', ship_facts: FACTS });

    const other = { ...FACTS, tracking_numbers: ['1ZC'] };
    expect(await fx.store.orders.patch('F-2', 3, { ship_facts: other })).toBe(true);
    expect((await fx.store.orders.getByPo('F-2'))?.ship_facts).toEqual(other);
    // null clears it
    expect(await fx.store.orders.patch('F-2', 3, { ship_facts: null })).toBe(true);
    expect((await fx.store.orders.getByPo('F-2'))?.ship_facts).toBeNull();

    // One statement for many rows: each row gets its own facts; a row without them keeps its value.
    await fx.store.orders.patch('F-2', 3, { ship_facts: other });
    const moved = await fx.store.orders.transitionEach([{ po: 'F-2' }, { po: 'F-3', patch: { ship_facts: FACTS, shipped_tracking_no: '1ZA' } }], 3, 4);
    expect(moved.sort()).toEqual(['F-2', 'F-3']);
    const rows = await fx.store.orders.getByPos(['F-2', 'F-3']);
    expect(rows.map((r) => [r.po_number, r.status, r.ship_facts])).toEqual([
      ['F-2', 4, other],
      ['F-3', 4, FACTS],
    ]);
  });

  it('keeps the typo guard: unknown fields and wrongly typed values are refused without touching the row', async () => {
    expect(PATCHABLE_ORDER_FIELDS).toContain('ship_facts');
    await fx.store.orders.upsertPulled([pulledOrder('G-1')]);
    await forceStatus(fx.store.db, 'G-1', 3);
    const before = await fx.store.orders.getByPo('G-1');

    const typo = { ship_fact: FACTS } as unknown as OrderPatch;
    await expect(fx.store.orders.patch('G-1', 3, typo)).rejects.toThrow(/ship_fact is not patchable/);
    await expect(fx.store.orders.transition('G-1', 3, 4, typo)).rejects.toBeInstanceOf(InvalidPatchError);
    await expect(fx.store.orders.transitionEach([{ po: 'G-1', patch: typo }], 3, 4)).rejects.toBeInstanceOf(InvalidPatchError);
    for (const bad of ['{"v":1}', [FACTS], 7]) {
      const patch = { ship_facts: bad } as unknown as OrderPatch;
      await expect(fx.store.orders.patch('G-1', 3, patch)).rejects.toThrow(/ship_facts must be a JSON object or null/);
    }
    const textAsObject = { shipped_tracking_no: { a: 1 } } as unknown as OrderPatch;
    await expect(fx.store.orders.patch('G-1', 3, textAsObject)).rejects.toThrow(/must be a string or null/);

    expect(await fx.store.orders.getByPo('G-1')).toEqual(before);
  });
});
