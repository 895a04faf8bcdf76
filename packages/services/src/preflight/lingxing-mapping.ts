import type { Mapping } from '@dlsync/config';
import type { LingxingLogisticsType, LingxingStore, LingxingWarehouse } from '@dlsync/lingxing';
import { checkFrom, failed, type PreflightCheck } from './check.js';

export const MAPPING_CHECKS = {
  stores: { id: 'lingxing.stores', title: 'Lingxing stores (mapping.shop values)' },
  warehouses: { id: 'lingxing.warehouses', title: 'Lingxing warehouses (mapping.warehouse values)' },
  logistics: { id: 'lingxing.logistics', title: 'Lingxing logistics types (mapping.shipment values)' },
} as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Every mapping.shop value is a multi-platform store of the configured platform code, syncing
 * and authorised. `stores` is the account's list over all platforms, so a store of another
 * platform is told apart from one that does not exist.
 */
export function checkStores(mapping: Mapping, platformCode: number | undefined, stores: readonly LingxingStore[]): PreflightCheck {
  const { id, title } = MAPPING_CHECKS.stores;
  if (platformCode === undefined) {
    return failed(id, title, 'no platform code configured', ['integration.lingxing.platform_code is not set'], "set integration.lingxing.platform_code to the platform code of dlsync's stores (e.g. 10009 for a custom platform)");
  }
  const byId = new Map(stores.map((s) => [s.store_id, s]));
  const problems: string[] = [];
  for (const [retailer, storeId] of Object.entries(mapping.shop).sort(([a], [b]) => a.localeCompare(b))) {
    const key = `mapping.shop.${retailer}`;
    const store = byId.get(storeId);
    if (!store) problems.push(`${key}: store_id ${storeId} is not a multi-platform store of this Lingxing account`);
    else if (String(store.platform_code) !== String(platformCode)) {
      problems.push(`${key}: store ${storeId} (${store.store_name}) is a ${store.platform_name || 'platform'} ${store.platform_code} store, not platform ${platformCode}`);
    } else if (store.status !== 1) problems.push(`${key}: store ${storeId} (${store.store_name}) has a failed authorisation in Lingxing`);
    else if (store.is_sync !== 1) problems.push(`${key}: store ${storeId} (${store.store_name}) has syncing disabled in Lingxing`);
  }
  const ofPlatform = stores.filter((s) => Number(s.platform_code) === platformCode).length;
  return checkFrom(
    id,
    title,
    `${plural(Object.keys(mapping.shop).length, 'mapped store')} among the account's ${plural(ofPlatform, `platform ${platformCode} store`)}`,
    problems,
    `map each retailer to a store_id from Lingxing's multi-platform store list of platform ${platformCode} (enabled and authorised), or correct integration.lingxing.platform_code`,
  );
}

/** Every mapping.warehouse value is the wid of an undeleted Lingxing warehouse. */
export function checkWarehouses(mapping: Mapping, warehouses: readonly LingxingWarehouse[]): PreflightCheck {
  const { id, title } = MAPPING_CHECKS.warehouses;
  const wids = new Set(warehouses.filter((w) => w.is_delete !== '1').map((w) => w.wid));
  const problems = Object.entries(mapping.warehouse)
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, wid]) => !wids.has(wid))
    .map(([code, wid]) => `mapping.warehouse.${code}: wid ${wid} is not a warehouse of this Lingxing account`);
  return checkFrom(
    id,
    title,
    `${plural(Object.keys(mapping.warehouse).length, 'mapped wid')} among the account's ${plural(wids.size, 'warehouse')}`,
    problems,
    "use the wid of the warehouse from Lingxing's warehouse list (Settings › Warehouse settings)",
  );
}

/** Every mapping.shipment value is a logistics type of the account that is enabled. */
export function checkLogistics(mapping: Mapping, types: readonly LingxingLogisticsType[]): PreflightCheck {
  const { id, title } = MAPPING_CHECKS.logistics;
  const byId = new Map(types.map((t) => [t.type_id, t]));
  const problems: string[] = [];
  for (const [key, typeId] of Object.entries(mapping.shipment).sort(([a], [b]) => a.localeCompare(b))) {
    const type = byId.get(typeId);
    if (!type) problems.push(`mapping.shipment.${key}: logistics_type_id ${typeId} is not a logistics type of this Lingxing account`);
    else if (type.is_used !== 1) problems.push(`mapping.shipment.${key}: logistics type ${typeId} (${type.name}) is disabled in Lingxing`);
  }
  const enabled = types.filter((t) => t.is_used === 1).length;
  return checkFrom(
    id,
    title,
    `${plural(Object.keys(mapping.shipment).length, 'mapped type')} among the account's ${plural(enabled, 'enabled logistics type')}`,
    problems,
    'enable the logistics type in Lingxing (Logistics › Logistics management) or map the key to an enabled type_id',
  );
}
