import { readDscoOrder } from '../src/order-reader.js';

describe('readDscoOrder', () => {
  it('needs an object with a non-empty string poNumber', () => {
    for (const raw of [null, 7, 'PO-1', [], { poNumber: '' }, { poNumber: 7 }, {}]) expect(readDscoOrder(raw)).toBeUndefined();
    expect(readDscoOrder({ poNumber: 'PO-1' })).toEqual({ poNumber: 'PO-1' });
  });

  it('reads a known field of the wrong type as undefined and keeps fields it does not know', () => {
    const order = readDscoOrder({
      poNumber: 'PO-2',
      dscoCreateDate: 12,
      dscoStatus: 'created',
      giftWrap: true,
      shipping: { city: 5, country: 'US', address: ['1 Main St', 2], floor: 3 },
      lineItems: [{ sku: 'S-1', quantity: '2', retailPrice: 9.5, title: 'Lamp' }],
    });
    expect(order).toEqual({
      poNumber: 'PO-2',
      dscoStatus: 'created',
      giftWrap: true,
      shipping: { country: 'US', floor: 3 },
      lineItems: [{ sku: 'S-1', retailPrice: 9.5, title: 'Lamp' }],
    });
    expect(order).toHaveProperty('dscoCreateDate', undefined);
    expect(order?.shipping).toHaveProperty('address', undefined);
    expect(order?.lineItems?.[0]).toHaveProperty('quantity', undefined);
  });

  it('reads lineItems and shipping as undefined unless they are a list of objects and an object', () => {
    expect(readDscoOrder({ poNumber: 'P', lineItems: [{ sku: 'A' }, null] })?.lineItems).toBeUndefined();
    expect(readDscoOrder({ poNumber: 'P', lineItems: 'nope' })?.lineItems).toBeUndefined();
    expect(readDscoOrder({ poNumber: 'P', shipping: ['Austin'] })?.shipping).toBeUndefined();
  });

  it('leaves the raw order as it was', () => {
    const raw = { poNumber: 'PO-3', shipping: { city: 5 }, lineItems: [{ quantity: 'x' }] };
    const copy = structuredClone(raw);
    readDscoOrder(raw);
    expect(raw).toEqual(copy);
  });
});
