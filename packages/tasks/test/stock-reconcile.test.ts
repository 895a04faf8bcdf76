import fc from 'fast-check';
import { bufferRuleSchema, type BufferRule } from '@dlsync/config';
import { makeStockBuffer, skuPattern } from '../src/stock-buffer.js';
import { reconcile } from '../src/stock-reconcile.js';
import type { ItemInventory } from '../src/rules/index.js';

const item = (sku: string, warehouses: Record<string, number>): ItemInventory => {
  const list = Object.entries(warehouses).map(([code, quantity]) => ({ code, quantity }));
  const quantityAvailable = list.reduce((s, w) => s + w.quantity, 0);
  return { sku, warehouses: list, quantityAvailable, status: quantityAvailable > 0 ? 'in-stock' : 'out-of-stock' };
};
const none = makeStockBuffer([]);

describe('stock buffer', () => {
  it('subtracts N or a percentage (rounded up), first matching rule wins', () => {
    const buffer = makeStockBuffer([
      { warehouse: 'WH-EAST', sku: 'DL-10*', subtract: 5 },
      { sku: 'DL-2?', subtract: '10%' },
      { warehouse: 'WH-WEST', subtract: 1 },
    ]);
    expect(buffer('WH-EAST', 'DL-1001', 12)).toBe(7);
    expect(buffer('WH-WEST', 'DL-1001', 12)).toBe(11);
    expect(buffer('WH-EAST', 'DL-21', 15)).toBe(13);
    expect(buffer('WH-EAST', 'DL-210', 15)).toBe(15);
    expect(buffer('WH-CENTRAL', 'DL-1001', 12)).toBe(12);
  });

  it('matches sku patterns literally apart from * and ?', () => {
    expect(skuPattern('A.B*').test('A.B-1')).toBe(true);
    expect(skuPattern('A.B*').test('AxB-1')).toBe(false);
    expect(skuPattern('(x)+?').test('(x)+1')).toBe(true);
  });

  it('never pushes a negative quantity, nor more than Lingxing has, whatever the rules', () => {
    const rule = fc.record(
      {
        warehouse: fc.constantFrom('WH-EAST', 'WH-WEST'),
        sku: fc.constantFrom('DL-*', 'DL-1?', '*'),
        subtract: fc.oneof(fc.nat(10_000), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)),
      },
      { requiredKeys: ['subtract'] },
    );
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), fc.constantFrom('WH-EAST', 'WH-WEST'), fc.constantFrom('DL-1', 'DL-12', 'X'), fc.nat(1_000_000), (rules, warehouse, sku, quantity) => {
        const parsed = rules.map((r) => bufferRuleSchema.parse(r) as BufferRule);
        const sent = makeStockBuffer(parsed)(warehouse, sku, quantity);
        expect(Number.isInteger(sent) && sent >= 0 && sent <= quantity).toBe(true);
      }),
    );
  });

  it('refuses a negative amount and a percentage over 100 in config', () => {
    expect(bufferRuleSchema.safeParse({ subtract: -1 }).success).toBe(false);
    expect(bufferRuleSchema.safeParse({ subtract: '101%' }).success).toBe(false);
    expect(bufferRuleSchema.safeParse({ subtract: 'ten' }).success).toBe(false);
    expect(bufferRuleSchema.safeParse({ subtract: '12.5%' }).success).toBe(true);
  });
});

describe('reconcile', () => {
  const dsco = new Map([
    ['DL-1', new Map<string, number | null>([['WH-EAST', 5], ['WH-WEST', 2]])],
    ['DL-2', new Map<string, number | null>([['WH-EAST', 9]])],
    ['DL-3', new Map<string, number | null>([['WH-EAST', 1]])],
  ]);
  const planned = [item('DL-1', { 'WH-EAST': 5, 'WH-WEST': 2 }), item('DL-2', { 'WH-EAST': 4 }), item('DL-3', { 'WH-EAST': 7 }), item('DL-4', { 'WH-EAST': 0 }), item('DL-5', { 'WH-EAST': 3 })];

  it('sends only the items whose quantity differs from DSCO, whole', () => {
    const r = reconcile(planned, (sku) => dsco.get(sku), none, 'changed');
    expect(r.send.map((i) => i.sku)).toEqual(['DL-2', 'DL-3']);
    expect(r.counts).toEqual({ unchanged: 2, raised: 1, lowered: 1, absent: 2 });
    expect(r.rows.find((row) => row.sku === 'DL-2')).toEqual({ sku: 'DL-2', warehouse: 'WH-EAST', quantity: 4, target: 4, dscoQuantity: 9, diff: -5, change: 'lowered' });
    // DSCO has no DL-5 at all: nothing to compare, and a batch would skip it, so it is not sent.
    expect(r.rows.find((row) => row.sku === 'DL-5')).toMatchObject({ dscoQuantity: null, diff: null, change: 'absent' });
  });

  it('counts a warehouse DSCO has no quantity for as 0, and sends an item whose read failed', () => {
    const held = new Map([['DL-1', new Map<string, number | null>([['WH-EAST', 5]])]]);
    const r = reconcile([item('DL-1', { 'WH-EAST': 5, 'WH-WEST': 0 }), item('DL-2', { 'WH-EAST': 1 })], (sku) => (sku === 'DL-2' ? 'unreadable' : held.get(sku)), none, 'changed');
    expect(r.rows.map((row) => [row.sku, row.warehouse, row.change])).toEqual([
      ['DL-1', 'WH-EAST', 'unchanged'],
      ['DL-1', 'WH-WEST', 'unchanged'],
      ['DL-2', 'WH-EAST', 'raised'],
    ]);
    expect(r.send.map((i) => i.sku)).toEqual(['DL-2']);
  });

  it('sends everything with send: all', () => {
    expect(reconcile(planned, (sku) => dsco.get(sku), none, 'all').send).toHaveLength(planned.length);
  });

  it('compares and sends the buffered quantity', () => {
    const r = reconcile([item('DL-3', { 'WH-EAST': 7 })], (sku) => dsco.get(sku), makeStockBuffer([{ subtract: 6 }]), 'changed');
    expect(r.rows[0]).toMatchObject({ quantity: 7, target: 1, dscoQuantity: 1, diff: 6, change: 'unchanged' });
    expect(r.send).toEqual([]);
    const lowered = reconcile([item('DL-3', { 'WH-EAST': 3 })], (sku) => dsco.get(sku), makeStockBuffer([{ subtract: 50 }]), 'changed');
    expect(lowered.send).toEqual([{ sku: 'DL-3', warehouses: [{ code: 'WH-EAST', quantity: 0 }], quantityAvailable: 0, status: 'out-of-stock' }]);
  });
});
