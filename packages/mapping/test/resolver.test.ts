import { parseRuntimeConfig } from '@dlsync/config';
import { makeMappingResolver, MappingConflictError } from '@dlsync/mapping';

const mapping = (m: object) => parseRuntimeConfig({ mapping: m }).mapping;

describe('makeMappingResolver', () => {
  const r = makeMappingResolver(
    mapping({
      shop: { R1: '101', R2: '102', R3: '101' },
      warehouse: { WH_A: '1', WH_B: '2' },
      sku: { 'P-1': 'L-1', 'P-2': 'L-2' },
      shipment: { 'WH_A-GROUND': '900', 'WH_REQ-2DAY': '901' },
    }),
  );

  it('looks up store, sid, wid and mapped skus forward', () => {
    expect(r.storeId('R2')).toBe('102');
    expect(r.storeId('nope')).toBeUndefined();
    expect(r.storeIds()).toEqual(['101', '102']);
    expect(r.wid('WH_B')).toBe('2');
    expect(r.mappedSku('P-1')).toBe('L-1');
    expect(r.mappedSku('P-9')).toBeUndefined();
  });

  it('builds the shipment key from shipWarehouseCode, falling back to requestedWarehouseCode', () => {
    expect(r.logisticsTypeId({ shipWarehouseCode: 'WH_A', shippingServiceLevelCode: 'GROUND' })).toBe('900');
    expect(
      r.logisticsTypeId({ shipWarehouseCode: '', requestedWarehouseCode: 'WH_REQ', shippingServiceLevelCode: '2DAY' }),
    ).toBe('901');
    expect(r.logisticsTypeId({ shipWarehouseCode: 'WH_B', shippingServiceLevelCode: 'GROUND' })).toBeUndefined();
  });

  it('maps back wid → warehouse code and sku → DSCO sku, passing unmapped skus through', () => {
    expect(r.warehouseCodeOf('2')).toBe('WH_B');
    expect(r.warehouseCodeOf('77')).toBeUndefined();
    expect(r.dscoSkuOf('L-2')).toBe('P-2');
    expect(r.dscoSkuOf('UNMAPPED')).toBe('UNMAPPED');
  });

  it('refuses reverse lookups when a reverse map is not one-to-one and names the keys', () => {
    const bad = makeMappingResolver(mapping({ sku: { A: 'L', B: 'L', C: 'M' }, warehouse: { X: '1', Y: '1' } }));
    expect(bad.reverseConflicts()).toEqual({
      warehouse: [{ value: '1', keys: ['X', 'Y'] }],
      sku: [{ value: 'L', keys: ['A', 'B'] }],
    });
    expect(() => bad.dscoSkuOf('M')).toThrow(MappingConflictError);
    expect(() => bad.assertReversible(['sku'])).toThrow('mapping.sku is not one-to-one: L ← A, B');
    expect(() => bad.warehouseCodeOf('1')).toThrow(/mapping.warehouse/);
  });
});
