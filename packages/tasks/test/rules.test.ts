import { parseRuntimeConfig } from '@dlsync/config';
import { makeMappingResolver } from '@dlsync/mapping';
import { formatMskus, isMultiItem, parseDscoOrder, pulledStatus, type DscoOrder } from '../src/rules/dsco-order.js';
import { formatCents, toCents, unitPrice } from '../src/rules/money.js';
import { lineKey } from '../src/rules/line-key.js';
import { buildLingxingOrder } from '../src/rules/lingxing-order.js';
import { coversOrder, joinTracking, planShipments } from '../src/rules/shipments.js';
import { buildInvoice } from '../src/rules/invoice.js';
import { parseWmsTime } from '../src/rules/wms-time.js';
import { planInventory } from '../src/rules/inventory.js';
import { mergeSkuMapping, pairsToMapping } from '../src/rules/sku-pairs.js';
import { checkOrder } from '../src/rules/check.js';

const baseOrder = {
  poNumber: 'PO-1',
  dscoOrderId: '1001',
  dscoRetailerId: 'R1',
  dscoStatus: 'created',
  dscoCreateDate: '2026-01-02T03:04:05Z',
  shipWarehouseCode: 'WH_A',
  shippingServiceLevelCode: 'GROUND',
  shipCarrier: 'UPS',
  currencyCode: 'USD',
  shipping: { firstName: 'Ada', lastName: 'Lovelace', address: ['1 Main St'], city: 'Austin', state: 'TX', postal: '73301', country: 'US' },
  lineItems: [
    { partnerSku: 'P-1', sku: 'S-1', quantity: 2, consumerPrice: 10, retailPrice: 12, dscoItemId: 'I1', lineNumber: 1 },
    { sku: 'S-2', quantity: 1, expectedCost: 5.5, dscoItemId: 'I2', lineNumber: 2 },
  ],
};

function order(patch: object = {}): DscoOrder {
  const parsed = parseDscoOrder({ ...baseOrder, ...patch });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.order;
}

/** A mapping keyed by the line key: the supplier sku by default, partnerSku for accounts that opt in. */
const resolverKeyedBy = (key: string) =>
  makeMappingResolver(
    parseRuntimeConfig({
      mapping: {
        shop: { R1: '101' },
        warehouse: { WH_A: '1', WH_B: '2' },
        sku: { [key]: 'L-1' },
        shipment: { 'WH_A-GROUND': '900' },
      },
    }).mapping,
  );
const resolver = resolverKeyedBy('S-1');

describe('lineKey', () => {
  it('is the supplier sku, else partnerSku; partner_sku reverses the order', () => {
    expect(lineKey({ sku: 'S', partnerSku: 'P' })).toBe('S');
    expect(lineKey({ partnerSku: 'P' })).toBe('P');
    expect(lineKey({ sku: 'S', partnerSku: 'P' }, 'partner_sku')).toBe('P');
    expect(lineKey({ sku: 'S' }, 'partner_sku')).toBe('S');
    expect(lineKey({})).toBeUndefined();
  });
});

describe('parseDscoOrder', () => {
  it('derives create time, mskus and multi-item from a good order', () => {
    const o = order();
    expect(o.createTime).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(formatMskus(o)).toBe('S-1(2),S-2(1)');
    expect(formatMskus(o, 'partner_sku')).toBe('P-1(2),S-2(1)');
    expect(isMultiItem(o)).toBe(true);
    expect(isMultiItem(order({ lineItems: [{ sku: 'A', quantity: 1 }] }))).toBe(false);
  });

  it.each([
    [{ poNumber: '' }, /poNumber/],
    [{ dscoCreateDate: 'yesterday' }, /dscoCreateDate/],
    [{ lineItems: [{ sku: 'A', quantity: -1 }] }, /lineItems.0.quantity must be positive/],
    [{ lineItems: [{ sku: 'A', quantity: 'many' }] }, /lineItems.0.quantity/],
    [{ lineItems: [{ sku: 'A', quantity: 1e12 }] }, /implausibly large/],
    [{ lineItems: 'nope' }, /lineItems/],
    [{ lineItems: [{ sku: 'A', quantity: 1, consumerPrice: -3 }] }, /lineItems.0.consumerPrice must be a non-negative amount/],
    [{ lineItems: [{ sku: 'A', quantity: 1, consumerPrice: '12,50' }] }, /lineItems.0.consumerPrice must be a number/],
    [{ lineItems: [{ sku: 'A', quantity: 1.5 }] }, /lineItems.0.quantity must be an integer/],
    [{ lineItems: [] }, /lineItems must not be empty/],
    [{ lineItems: [null] }, /lineItems.0 must be an object/],
    [{ lineItems: Array.from({ length: 1001 }, () => ({ sku: 'A', quantity: 1 })) }, /lineItems must have at most 1000 lines/],
    [{ shipping: 'Austin' }, /shipping must be an object/],
    [{ shipping: { city: { name: 'Austin' } } }, /shipping.city must be text or a number/],
    [{ message: 'x'.repeat(5001) }, /message is too long \(over 5000 characters\)/],
    [{ poNumber: 'P'.repeat(101) }, /poNumber is too long/],
    [{ poNumber: 7 }, /poNumber must be text/],
    [{ dscoCreateDate: undefined }, /dscoCreateDate is required/],
  ])('skips a malformed order with a reason: %j', (patch, reason) => {
    const parsed = parseDscoOrder({ ...baseOrder, ...patch });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('names up to three problems, in field order', () => {
    const parsed = parseDscoOrder({ ...baseOrder, poNumber: ' ', dscoCreateDate: 'soon', lineItems: [{ quantity: 0 }, { quantity: 'x' }] });
    expect(parsed).toEqual({
      ok: false,
      reason: 'malformed order: poNumber is required; dscoCreateDate must be an RFC3339 date-time; lineItems.0.quantity must be positive',
    });
  });

  it('reads numbers given as text, trims text, treats blanks as absent and keeps fields it does not know', () => {
    const o = order({
      dscoOrderId: 1001,
      shipCarrier: '  UPS ',
      shipMethod: '   ',
      giftWrap: true,
      shipping: null,
      lineItems: [{ sku: ' S-1 ', quantity: '2', lineNumber: '3', consumerPrice: ' 12.50 ', title: 'Lamp' }],
    });
    expect(o).toMatchObject({ poNumber: 'PO-1', dscoOrderId: '1001', shipCarrier: 'UPS', giftWrap: true, shipping: {} });
    expect(o.shipMethod).toBeUndefined();
    expect(o.lineItems).toEqual([expect.objectContaining({ sku: 'S-1', quantity: 2, lineNumber: 3, consumerPrice: 12.5, title: 'Lamp' })]);
  });

  it('never throws on garbage', () => {
    for (const raw of [null, 42, 'x', [], { poNumber: 7 }, { lineItems: [null] }]) {
      expect(parseDscoOrder(raw).ok).toBe(false);
    }
  });

  it.each([
    ['created', undefined, 1],
    ['shipment_pending', 'acknowledged', 1],
    ['shipped', undefined, 5],
    ['shipment_pending', 'completed', 5],
    ['cancelled', undefined, 6],
    ['weird', undefined, undefined],
  ])('pull status of %s/%s is %s', (dscoStatus, dscoLifecycle, expected) => {
    expect(pulledStatus({ dscoStatus, dscoLifecycle })).toBe(expected);
  });
});

describe('prices and money', () => {
  it('uses consumerPriceWithTax ?? consumerPrice ?? retailPrice ?? expectedCost', () => {
    const l = (p: object) => order({ lineItems: [{ sku: 'A', quantity: 1, ...p }] }).lineItems[0]!;
    expect(unitPrice(l({ consumerPriceWithTax: 1, consumerPrice: 2, retailPrice: 3, expectedCost: 4 }))).toBe(1);
    expect(unitPrice(l({ consumerPrice: 2, retailPrice: 3, expectedCost: 4 }))).toBe(2);
    expect(unitPrice(l({ retailPrice: 3, expectedCost: 4 }))).toBe(3);
    expect(unitPrice(l({ expectedCost: 4 }))).toBe(4);
    expect(unitPrice(l({ consumerPrice: 0 }))).toBe(0);
    // expected_cost: the retailer's cost first, then the same order.
    expect(unitPrice(l({ consumerPriceWithTax: 1, consumerPrice: 2, expectedCost: 4 }), 'expected_cost')).toBe(4);
    expect(unitPrice(l({ consumerPrice: 2, retailPrice: 3 }), 'expected_cost')).toBe(2);
    expect(unitPrice(l({}))).toBeUndefined();
  });

  it('computes cents without float drift', () => {
    expect(toCents(19.99) * 3).toBe(5997);
    expect(formatCents(toCents(0.1) + toCents(0.2))).toBe('0.30');
    expect(toCents(1.005)).toBe(101);
    expect(formatCents(5)).toBe('0.05');
  });
});

describe('buildLingxingOrder', () => {
  it('maps fields with name and address fallbacks, mapped sku only when mapped', () => {
    const built = buildLingxingOrder(order({ message: 'gift' }), resolver);
    expect(built).toEqual({
      ok: true,
      storeId: '101',
      order: {
        platform_order_no: 'PO-1',
        receiver_country_code: 'US',
        receiver_name: 'Ada Lovelace',
        city: 'Austin',
        address_line1: '1 Main St',
        postal_code: '73301',
        state_or_region: 'TX',
        buyer_note: 'gift',
        amount_currency: 'USD',
        wid: '1',
        logistics_type_id: '900',
        items: [
          { msku: 'S-1', sku: 'L-1', quantity: 2, unit_price: 10 },
          { msku: 'S-2', quantity: 1, unit_price: 5.5 },
        ],
      },
    });
  });

  it('sends partnerSku as msku when the account prefers it (dsco.line_key: partner_sku)', () => {
    const built = buildLingxingOrder(order(), resolverKeyedBy('P-1'), 'partner_sku');
    expect(built.ok && built.order.items).toEqual([
      { msku: 'P-1', sku: 'L-1', quantity: 2, unit_price: 10 },
      { msku: 'S-2', quantity: 1, unit_price: 5.5 },
    ]);
  });

  it.each([
    [{ dscoRetailerId: 'R9' }, /no store mapping for retailer R9/],
    [{ shipWarehouseCode: 'WH_B' }, /no logistics mapping for WH_B-GROUND/],
    [{ lineItems: [{ sku: 'S', quantity: 1 }] }, /no price for S/],
    [{ shipping: { name: 'X', city: 'Y', country: 'US' } }, /missing address fields: address_line1, postal_code, state_or_region/],
    [{ shipping: { name: 'X', city: 'Y', address1: 'Z', postal: '1', country: 'US' } }, /missing address fields: state_or_region/],
  ])('skips with a reason: %j', (patch, reason) => {
    const built = buildLingxingOrder(order(patch), resolver);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.reason).toMatch(reason);
  });

  it('pushes without wid when the warehouse is unmapped', () => {
    const built = buildLingxingOrder(order({ shipWarehouseCode: 'WH_Z' }), resolver);
    expect(built.ok && built.order.wid).toBeUndefined();
  });
});

describe('planShipments', () => {
  const o = order({ lineItems: [{ sku: 'S-1', partnerSku: 'P-1', quantity: 2, dscoItemId: 'I1', lineNumber: 1, consumerPrice: 1 }] });
  const rec = (tracking: string, count: number, at: string, status = 3) => ({
    tracking_no: tracking,
    delivered_at: at,
    stock_delivered_at: '',
    status,
    product_info: [{ sku: 'L-1', count }],
  });

  it('groups by tracking number, maps skus back and only covers the order when all is shipped', () => {
    const first = planShipments(o, [rec('T1', 1, '2026-01-03 10:00:00')], new Set(), (s) => resolver.dscoSkuOf(s));
    expect(first.toSend).toEqual([
      {
        trackingNumber: 'T1',
        shipDate: '2026-01-03T10:00:00Z',
        shipCarrier: 'UPS',
        shipMethod: 'GROUND',
        shippingServiceLevelCode: 'GROUND',
        // One of the line's two units: the line spans packages.
        lineItems: [{ quantity: 1, sku: 'S-1', partnerSku: 'P-1', dscoItemId: 'I1', lineNumber: 1, packageSpanFlag: true }],
      },
    ]);
    expect(coversOrder(o, first.shippedQty)).toBe(false);
    const both = planShipments(
      o,
      [rec('T1', 1, '2026-01-03 10:00:00'), rec('T2', 1, '2026-01-04 11:00:00'), rec('T3', 5, '2026-01-05 00:00:00', 4)],
      new Set(['T1']),
      (s) => resolver.dscoSkuOf(s),
    );
    expect(both.toSend.map((s) => s.trackingNumber)).toEqual(['T2']);
    expect(coversOrder(o, both.shippedQty)).toBe(true);
    expect(both.lastShipDate?.toISOString()).toBe('2026-01-04T11:00:00.000Z');
  });

  it('joins tracking numbers without duplicates', () => {
    expect(joinTracking('T1,T2', ['T2', 'T3'])).toBe('T1,T2,T3');
    expect(joinTracking(null, ['T1'])).toBe('T1');
  });

  it('reads WMS times in a configured zone', () => {
    expect(parseWmsTime('2026-07-01 08:00:00', 'Asia/Shanghai')?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(parseWmsTime('2026-01-15 12:00:00', 'America/New_York')?.toISOString()).toBe('2026-01-15T17:00:00.000Z');
    expect(parseWmsTime('')).toBeUndefined();
  });
});

describe('buildInvoice', () => {
  it('totals in integer cents: 19.99 × 3 and 0.1 + 0.2', () => {
    const o = order({
      lineItems: [
        { partnerSku: 'A', quantity: 3, consumerPrice: 19.99, dscoItemId: 'I1', lineNumber: 1 },
        { partnerSku: 'B', quantity: 1, consumerPrice: 0.1 },
        { partnerSku: 'C', quantity: 1, consumerPrice: 0.2 },
      ],
    });
    const built = buildInvoice(o, new Date('2026-01-05T00:00:00Z'));
    expect(built.ok && built.invoice).toMatchObject({
      invoiceId: 'PO-1',
      poNumber: 'PO-1',
      invoiceDate: '2026-01-05T00:00:00Z',
      currencyCode: 'USD',
      totalAmount: 60.27,
    });
    expect(JSON.stringify(built.ok && built.invoice.totalAmount)).toBe('60.27');
  });

  it('identifies lines by the line key as sku, with partnerSku, dscoItemId and lineNumber as extras', () => {
    const built = buildInvoice(order(), new Date('2026-01-05T00:00:00Z'));
    expect(built.ok && built.invoice.lineItems).toEqual([
      { quantity: 2, unitPrice: 10, sku: 'S-1', partnerSku: 'P-1', dscoItemId: 'I1', lineNumber: 1 },
      { quantity: 1, unitPrice: 5.5, sku: 'S-2', dscoItemId: 'I2', lineNumber: 2 },
    ]);
    const preferPartner = buildInvoice(order(), new Date('2026-01-05T00:00:00Z'), { lineKey: 'partner_sku' });
    expect(preferPartner.ok && preferPartner.invoice.lineItems.map((l) => [l.partnerSku, l.sku])).toEqual([
      ['P-1', 'S-1'],
      [undefined, 'S-2'], // no partnerSku on the line: its key is its sku
    ]);
  });

  it('bills the order price by default and the retailer cost with unit_price: expected_cost', () => {
    const o = order({ lineItems: [{ sku: 'A', quantity: 2, consumerPrice: 10, retailPrice: 12, expectedCost: 6 }, { sku: 'B', quantity: 1, retailPrice: 3 }] });
    const byOrderPrice = buildInvoice(o, new Date('2026-01-05T00:00:00Z'));
    expect(byOrderPrice.ok && byOrderPrice.invoice).toMatchObject({ totalAmount: 23, lineItems: [{ unitPrice: 10 }, { unitPrice: 3 }] });
    const byCost = buildInvoice(o, new Date('2026-01-05T00:00:00Z'), { unitPrice: 'expected_cost' });
    expect(byCost.ok && byCost.invoice).toMatchObject({ totalAmount: 15, lineItems: [{ unitPrice: 6 }, { unitPrice: 3 }] });
  });
});

describe('planInventory', () => {
  it('sums per line key (the mapped supplier sku) across warehouses, with a status, and reports unmapped wids', () => {
    const plan = planInventory(
      [
        { wid: '1', sku: 'L-1', product_valid_num: 5 },
        { wid: 2, sku: 'L-1', product_valid_num: '7' },
        { wid: '1', sku: 'X', product_valid_num: -2 },
        { wid: '9', sku: 'L-1', product_valid_num: 3 },
      ],
      (w) => resolver.warehouseCodeOf(w),
      (s) => resolver.dscoSkuOf(s),
    );
    expect(plan.items).toEqual([
      { sku: 'S-1', warehouses: [{ code: 'WH_A', quantity: 5 }, { code: 'WH_B', quantity: 7 }], quantityAvailable: 12, status: 'in-stock' },
      { sku: 'X', warehouses: [{ code: 'WH_A', quantity: 0 }], quantityAvailable: 0, status: 'out-of-stock' },
    ]);
    expect(plan.unmapped).toEqual([{ wid: '9', warehouse_code: null, sku: 'L-1', partner_sku: 'S-1', quantity: 3 }]);
    expect(plan.records).toHaveLength(4);
  });
});

describe('sku pairs', () => {
  it('finds msku→many and sku→many conflicts within and across stores', () => {
    const { conflicts } = pairsToMapping([
      { store_id: '1', msku: 'A', sku: 'L1' },
      { store_id: '2', msku: 'A', sku: 'L2' },
      { store_id: '1', msku: 'B', sku: 'L3' },
      { store_id: '1', msku: 'C', sku: 'L3' },
      { store_id: '1', msku: 'D', sku: 'L4' },
      { store_id: '2', msku: 'D', sku: 'L4' },
    ]);
    expect(conflicts).toEqual([
      { kind: 'msku_to_many_skus', key: 'A', values: ['L1', 'L2'], stores: ['1', '2'] },
      { kind: 'sku_to_many_mskus', key: 'L3', values: ['B', 'C'], stores: ['1'] },
    ]);
  });

  it('merges (pulled wins) or prunes, with a diff', () => {
    const current = { A: 'L1', B: 'L2', M: 'LM' };
    const merged = mergeSkuMapping(current, { A: 'L9', C: 'L3' }, false);
    expect(merged.next).toEqual({ A: 'L9', B: 'L2', M: 'LM', C: 'L3' });
    expect(merged.diff).toEqual({ added: { C: 'L3' }, changed: { A: { from: 'L1', to: 'L9' } }, removed: {} });
    const pruned = mergeSkuMapping(current, { A: 'L1' }, true);
    expect(pruned.next).toEqual({ A: 'L1' });
    expect(pruned.diff.removed).toEqual({ B: 'L2', M: 'LM' });
    expect(mergeSkuMapping({ X: 'L1' }, { Y: 'L1' }, false).conflicts).toHaveLength(1);
  });
});

describe('checkOrder', () => {
  it.each([
    [{}, 'missing_local_record'],
    [{ localStatus: 1, dscoStatus: 'cancelled' }, undefined],
    [{ localStatus: 2, inLingxing: false }, 'not_in_lingxing'],
    [{ localStatus: 2, inLingxing: true }, undefined],
    [{ localStatus: 3, dscoStatus: 'created' }, 'dsco_status_behind'],
    [{ localStatus: 3, dscoStatus: 'shipment_pending' }, undefined],
    [{ localStatus: 4, dscoStatus: 'shipment_pending' }, 'dsco_status_behind'],
    [{ localStatus: 5, localInvoiceId: 'PO', hasInvoice: false }, 'missing_invoice'],
    [{ localStatus: 5, localInvoiceId: null, dscoStatus: 'shipped' }, undefined],
    [{ localStatus: 6, dscoStatus: 'shipped' }, 'not_cancelled'],
  ])('%j → %s', (facts, kind) => {
    expect(checkOrder(facts)?.kind).toBe(kind);
  });
});
