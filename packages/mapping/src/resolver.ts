import type { Mapping } from '@dlsync/config';
import { buildReverseMap, MappingConflictError, type ReverseMap } from './reverse-map.js';

/** The fields of a DSCO order the shipment key is built from. */
export interface ShipmentKeyFields {
  shipWarehouseCode?: string | null;
  requestedWarehouseCode?: string | null;
  shippingServiceLevelCode?: string | null;
}

export interface MappingResolver {
  readonly mapping: Mapping;
  /** Lingxing store_id of a DSCO retailer. */
  storeId(retailerId: string | null | undefined): string | undefined;
  /** Distinct store ids (also the WMS sids) of mapping.shop. */
  storeIds(): string[];
  /** Lingxing wid of a DSCO warehouse code. */
  wid(warehouseCode: string | null | undefined): string | undefined;
  wids(): string[];
  /** Lingxing local sku of a DSCO sku, only when mapped. */
  mappedSku(dscoSku: string): string | undefined;
  /** `<shipWarehouseCode||requestedWarehouseCode>-<shippingServiceLevelCode>`. */
  shipmentKey(order: ShipmentKeyFields): string;
  logisticsTypeId(order: ShipmentKeyFields): string | undefined;
  /** wid → DSCO warehouse code; throws MappingConflictError when not one-to-one. */
  warehouseCodeOf(wid: string): string | undefined;
  /** Lingxing sku → DSCO sku; unmapped skus pass through; throws MappingConflictError when not one-to-one. */
  dscoSkuOf(lingxingSku: string): string;
  /** Conflicts of the reverse maps, for reports; empty when both are one-to-one. */
  reverseConflicts(): { warehouse: ReverseMap['conflicts']; sku: ReverseMap['conflicts'] };
  /** Throws MappingConflictError for the first reverse map that is not one-to-one. */
  assertReversible(maps?: ('warehouse' | 'sku')[]): void;
}

/** Built once per run from the run's config snapshot; reverse maps are computed on first use. */
export function makeMappingResolver(mapping: Mapping): MappingResolver {
  let reverseWarehouse: ReverseMap | undefined;
  let reverseSku: ReverseMap | undefined;
  const warehouses = (): ReverseMap => (reverseWarehouse ??= buildReverseMap(mapping.warehouse));
  const skus = (): ReverseMap => (reverseSku ??= buildReverseMap(mapping.sku));
  const storeIds = [...new Set(Object.values(mapping.shop))].sort();

  const assertReversible = (maps: ('warehouse' | 'sku')[] = ['warehouse', 'sku']): void => {
    for (const name of maps) {
      const reverse = name === 'warehouse' ? warehouses() : skus();
      if (reverse.conflicts.length) throw new MappingConflictError(name, reverse.conflicts);
    }
  };

  const shipmentKey = (o: ShipmentKeyFields): string =>
    `${o.shipWarehouseCode || o.requestedWarehouseCode || ''}-${o.shippingServiceLevelCode ?? ''}`;

  return {
    mapping,
    storeId: (retailerId) => (retailerId ? mapping.shop[retailerId] : undefined),
    storeIds: () => storeIds,
    wid: (code) => (code ? mapping.warehouse[code] : undefined),
    wids: () => [...new Set(Object.values(mapping.warehouse))].sort(),
    mappedSku: (sku) => mapping.sku[sku],
    shipmentKey,
    logisticsTypeId: (o) => mapping.shipment[shipmentKey(o)],
    warehouseCodeOf(wid) {
      assertReversible(['warehouse']);
      return warehouses().get(wid);
    },
    dscoSkuOf(sku) {
      assertReversible(['sku']);
      return skus().get(sku) ?? sku;
    },
    reverseConflicts: () => ({ warehouse: warehouses().conflicts, sku: skus().conflicts }),
    assertReversible,
  };
}
