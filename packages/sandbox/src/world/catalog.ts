import type { Rng } from '../rng.js';
import type { CatalogSku, Retailer, ServiceLevel, SuggestedMapping, Warehouse } from './types.js';

/** The static side of the world: who sells, where it ships from, what it sells. */
export interface Catalog {
  retailers: Retailer[];
  warehouses: Warehouse[];
  serviceLevels: ServiceLevel[];
  skus: CatalogSku[];
  /** `<warehouseCode>-<serviceLevelCode>` → logistics_type_id. */
  logistics: Map<string, string>;
  /** Available quantity per `wid|localSku`. */
  inventory: Map<string, number>;
  /** Local skus Lingxing ships as a bundle: the bundle row plus one split-out row per component sku. */
  bundles: Map<string, string[]>;
  /** A store of another seller on the same Lingxing account: its orders are not ours. */
  foreignStoreId: string;
  /**
   * Inventory rows (`wid|localSku`) Lingxing answers without a usable product_valid_num: the
   * field left out, or a value that is not a number. (Default: none; tests add them)
   */
  inventoryQuirks: Map<string, 'missing' | 'not_a_number'>;
}

const MAPPED_SKU_COUNT = 24;
const UNMAPPED_SKU_COUNT = 4;

export function inventoryKey(wid: string, localSku: string): string {
  return `${wid}|${localSku}`;
}

export function makeCatalog(rng: Rng): Catalog {
  // Lingxing ids are 18-digit integers above 2^53 (a JS number would round them), as real ones are.
  const retailers: Retailer[] = [
    { dscoRetailerId: '1000042101', storeId: '110283406273996288', name: 'Northwind Home' },
    { dscoRetailerId: '1000042102', storeId: '110418202566107649', name: 'Contoso Outdoors' },
    { dscoRetailerId: '1000042103', storeId: '110268822038528003', name: 'Fabrikam Living' },
  ];
  const warehouses: Warehouse[] = [
    { code: 'WH-EAST', wid: '103430576541848065', name: 'East NJ' },
    { code: 'WH-WEST', wid: '103430576541848067', name: 'West CA' },
    { code: 'WH-CENTRAL', wid: '103430576541848069', name: 'Central TX' },
  ];
  const serviceLevels: ServiceLevel[] = [
    { code: 'UPSG', carrier: 'UPS', method: 'Ground' },
    { code: 'FEHD', carrier: 'FedEx', method: 'Home Delivery' },
    { code: 'USPM', carrier: 'USPS', method: 'Priority Mail' },
  ];
  const skus: CatalogSku[] = [];
  for (let i = 0; i < MAPPED_SKU_COUNT; i += 1) {
    const code = String(1001 + i);
    skus.push({
      sku: `DL-${code}`,
      localSku: `LX-${code}`,
      title: `Sandbox product ${code}`,
      mapped: true,
      paired: true,
      basePriceCents: rng.int(899, 24_999),
    });
  }
  // Unmapped SKUs: half are paired in Lingxing under another local sku (pull_sku_pair discovers
  // them), half are known to Lingxing under the DSCO code itself and pass through unchanged.
  for (let i = 0; i < UNMAPPED_SKU_COUNT; i += 1) {
    const code = String(9001 + i);
    const paired = i % 2 === 0;
    skus.push({
      sku: `DLU-${code}`,
      localSku: paired ? `LX-${code}` : `DLU-${code}`,
      title: `Sandbox unmapped product ${code}`,
      mapped: false,
      paired,
      basePriceCents: rng.int(899, 24_999),
    });
  }
  const logistics = new Map<string, string>();
  let logisticsId = 107_000_000_000_000_001n;
  for (const warehouse of warehouses) {
    for (const level of serviceLevels) logistics.set(`${warehouse.code}-${level.code}`, String(logisticsId++));
  }
  const inventory = new Map<string, number>();
  for (const warehouse of warehouses) {
    for (const sku of skus) {
      if (rng.chance(0.85)) inventory.set(inventoryKey(warehouse.wid, sku.localSku), rng.chance(0.1) ? 0 : rng.int(1, 500));
    }
  }
  // The last mapped sku ships as a bundle of two components (bundle_type 1 row + two type 2 rows).
  const bundleSku = skus[MAPPED_SKU_COUNT - 1]!.localSku;
  const bundles = new Map([[bundleSku, [`${bundleSku}-PART-A`, `${bundleSku}-PART-B`]]]);
  return { retailers, warehouses, serviceLevels, skus, logistics, inventory, bundles, foreignStoreId: '110999000000000007', inventoryQuirks: new Map() };
}

/** A runtime_config `mapping` consistent with the catalog (unmapped SKUs left out on purpose). */
export function suggestedMapping(catalog: Catalog): SuggestedMapping {
  return {
    shop: Object.fromEntries(catalog.retailers.map((r) => [r.dscoRetailerId, r.storeId])),
    warehouse: Object.fromEntries(catalog.warehouses.map((w) => [w.code, w.wid])),
    sku: Object.fromEntries(catalog.skus.filter((s) => s.mapped).map((s) => [s.sku, s.localSku])),
    shipment: Object.fromEntries(catalog.logistics),
  };
}
