import { findUnstorableText } from '../src/index.js';
import { mayHoldUnstorableText } from '../src/storable-text.js';
import { forceStatus, pulledOrder, useStore } from './fixtures.js';

const fx = useStore();

const shipping = { name: 'Ann', address1: '1 Main St', city: 'Springfield', country: 'US' };
const payload = (po: string, extra: Record<string, unknown> = {}) => ({ poNumber: po, dscoStatus: 'created', shipping, ...extra });

describe('mayHoldUnstorableText', () => {
  it('says yes for the JSON of every value Postgres refuses, and no for ordinary text', () => {
    for (const bad of [{ a: 'x\u0000y' }, { a: ['\uD800'] }, { ['k\uDC00']: 1 }, { a: 'tail \uDBFF' }]) {
      expect(findUnstorableText(bad)).toBeDefined();
      expect(mayHoldUnstorableText(JSON.stringify(bad))).toBe(true);
    }
    for (const good of [{ emoji: '😀', cjk: '领星', n: 1 }, { path: 'C:\\new\\u-turn' }]) {
      expect(findUnstorableText(good)).toBeUndefined();
      expect(mayHoldUnstorableText(JSON.stringify(good))).toBe(false);
    }
  });
});

describe('findUnstorableText', () => {
  it('finds a NUL or a lone surrogate anywhere, keys included, and accepts paired surrogates', () => {
    expect(findUnstorableText({ a: [{ b: 'x\u0000y' }] })).toBe('$.a[0].b contains a NUL character (\\u0000)');
    expect(findUnstorableText({ a: 'ok', c: ['\uD800'] })).toBe('$.c[0] contains a lone UTF-16 surrogate');
    expect(findUnstorableText({ ['k\uDC00']: 1 })).toBe('$ key contains a lone UTF-16 surrogate');
    expect(findUnstorableText({ emoji: '😀', n: 1, z: null })).toBeUndefined();
  });
});

describe('upsertPulled: operations columns', () => {
  it('stores the good orders of a batch and sets aside one Postgres cannot fx.store, with the reason', async () => {
    const result = await fx.store.orders.upsertPulled([
      pulledOrder('U-1'),
      pulledOrder('U-2', { payload: payload('U-2', { shipping: { ...shipping, address2: 'bad\u0000' } }) }),
      pulledOrder('U-3', { payload: payload('U-3', { note: 'half \uD83D' }) }),
      pulledOrder('U-4'),
    ]);
    expect(result.inserted).toBe(2);
    expect(result.rejected).toEqual([
      { po_number: 'U-2', reason: 'malformed order: $.payload.shipping.address2 contains a NUL character (\\u0000)' },
      { po_number: 'U-3', reason: 'malformed order: $.payload.note contains a lone UTF-16 surrogate' },
    ]);
    const stored = await fx.store.db.selectFrom('dsco_order_sync').select('po_number').orderBy('po_number').execute();
    expect(stored.map((r) => r.po_number)).toEqual(['U-1', 'U-4']);
  });

  it("keeps DSCO's deadlines from the payload and refreshes them; an unparseable date is null", async () => {
    await fx.store.orders.upsertPulled([
      pulledOrder('D-1', { payload: payload('D-1', { acknowledgeByDate: '2026-03-02T10:00:00Z', shipByDate: 'soon' }) }),
    ]);
    expect(await fx.store.orders.getByPo('D-1')).toMatchObject({
      acknowledge_by: new Date('2026-03-02T10:00:00Z'),
      ship_by: null,
      invoice_by: null,
      cancel_after: null,
    });
    await fx.store.orders.upsertPulled([
      pulledOrder('D-1', { payload: payload('D-1', { invoiceByDate: '2026-03-09T00:00:00.000Z', cancelAfterDate: '2026-03-05T00:00:00Z' }) }),
    ]);
    expect(await fx.store.orders.getByPo('D-1')).toMatchObject({
      acknowledge_by: null,
      invoice_by: new Date('2026-03-09T00:00:00Z'),
      cancel_after: new Date('2026-03-05T00:00:00Z'),
    });
  });

  it('flags an address or line change to an order already in Lingxing, not to one still at 1', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('A-1', { payload: payload('A-1') }), pulledOrder('A-2', { payload: payload('A-2') }), pulledOrder('A-3', { payload: payload('A-3') })]);
    await forceStatus(fx.store.db, 'A-1', 2);
    await forceStatus(fx.store.db, 'A-2', 3);

    const result = await fx.store.orders.upsertPulled([
      pulledOrder('A-1', { payload: payload('A-1', { shipping: { ...shipping, address1: '2 Elm St' } }) }),
      pulledOrder('A-2', { mskus: 'SKU-A(2)', payload: payload('A-2') }),
      pulledOrder('A-3', { payload: payload('A-3', { shipping: { ...shipping, city: 'Shelbyville' } }) }),
    ]);

    expect(result.flagged).toEqual([
      { po_number: 'A-1', detail: 'address' },
      { po_number: 'A-2', detail: 'lines' },
    ]);
    expect(await fx.store.orders.getByPo('A-1')).toMatchObject({
      attention: 'changed_after_push',
      attention_detail: 'address changed after the order was created in Lingxing',
    });
    expect((await fx.store.orders.getByPo('A-1'))!.attention_at).toBeInstanceOf(Date);
    expect(await fx.store.orders.getByPo('A-2')).toMatchObject({ attention: 'changed_after_push', status: 3 });
    expect(await fx.store.orders.getByPo('A-3')).toMatchObject({ attention: null, attention_at: null });
  });

  it('never replaces a cancelled-after-shipped flag', async () => {
    await fx.store.orders.upsertPulled([pulledOrder('C-1', { payload: payload('C-1') })]);
    await forceStatus(fx.store.db, 'C-1', 4);
    await fx.store.db.updateTable('dsco_order_sync').set({ attention: 'cancelled_after_shipped' }).execute();
    await fx.store.orders.upsertPulled([pulledOrder('C-1', { mskus: 'SKU-Z(1)', payload: payload('C-1') })]);
    expect(await fx.store.orders.getByPo('C-1')).toMatchObject({ attention: 'cancelled_after_shipped', mskus: 'SKU-Z(1)' });
  });
});

describe('watermarks', () => {
  it('is undefined before the first scan and only moves forward', async () => {
    expect(await fx.store.watermarks.get('dsco_orders')).toBeUndefined();
    const a = new Date('2026-03-01T10:00:00Z');
    const b = new Date('2026-03-01T11:00:00Z');
    expect(await fx.store.watermarks.advance('dsco_orders', b)).toEqual(b);
    expect(await fx.store.watermarks.advance('dsco_orders', a)).toEqual(b);
    expect(await fx.store.watermarks.get('dsco_orders')).toEqual(b);
    expect(await fx.store.watermarks.get('other')).toBeUndefined();
  });
});
