import { z } from 'zod';
import { pageOf, type Envelope } from './envelope.js';
import { collectNumberedPages, collectOffsetPages } from './paging.js';
import type { CallOptions } from './params.js';
import { parseOrThrow } from './parse.js';
import { pageSchema, type Page } from './schemas.js';

/**
 * The account's own lists: which multi-platform stores, warehouses and logistics types exist.
 * dlsync reads them only to check its mapping against the account (preflight), never per run.
 */
export const LINGXING_ACCOUNT_ENDPOINTS = {
  /** Multi-platform stores; token bucket 10, pages of at most 200. */
  sellerList: '/pb/mp/shop/v2/getSellerList',
  /** Warehouses of one type; token bucket 1, pages of 1000 by default. */
  warehouseList: '/erp/sc/data/local_inventory/warehouse',
  /** Enabled self-ship logistics types of one provider type; token bucket 1. */
  usedLogisticsTypes: '/erp/sc/routing/wms/WmsLogistics/listUsedLogisticsType',
} as const;

/** Page sizes: the store list's stated maximum, the warehouse list's default, a modest logistics page. */
export const ACCOUNT_LIST_PAGE = { stores: 200, warehouses: 1000, logistics: 100 } as const;

/** Warehouse types (`type`): 1 local, 3 overseas, 4 Amazon platform, 6 AWD. */
export const LINGXING_WAREHOUSE_TYPES = [1, 3, 4, 6] as const;
/** Logistics provider types (`provider_type`): 0 API, 1 custom, 2 overseas warehouse, 4 platform. */
export const LINGXING_PROVIDER_TYPES = [0, 1, 2, 4] as const;

// Ids arrive as strings or (18-digit, kept as decimal strings by the lossless parser) numbers.
const decimal = z.union([z.string(), z.number(), z.bigint()]).transform(String);
const label = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const flag = z.coerce.number();

export const lingxingStoreSchema = z.looseObject({
  store_id: decimal,
  store_name: label,
  platform_code: label,
  platform_name: label,
  /** 1 syncing enabled, 0 disabled. */
  is_sync: flag,
  /** 1 authorised, 0 authorisation failed. */
  status: flag,
});
export type LingxingStore = z.output<typeof lingxingStoreSchema>;

export const lingxingWarehouseSchema = z.looseObject({
  wid: decimal,
  name: label,
  type: flag,
  /** "0" kept, "1" deleted (sent as a string or a number). */
  is_delete: label,
});
export type LingxingWarehouse = z.output<typeof lingxingWarehouseSchema>;

export const lingxingLogisticsTypeSchema = z.looseObject({
  type_id: decimal,
  name: label,
  /** 1 enabled, 0 disabled. */
  is_used: flag,
  type: flag.optional(),
  logistics_provider_name: label,
});
export type LingxingLogisticsType = z.output<typeof lingxingLogisticsTypeSchema>;

/** The client's generic signed call (`LingxingClient.call`). */
export type LingxingCall = (endpoint: string, params: Record<string, unknown>, options?: CallOptions) => Promise<Envelope>;

export interface AccountLists {
  /** Every store of the given platform codes (all platforms when none), all pages. */
  listStores(platformCodes: readonly number[], options?: CallOptions): Promise<LingxingStore[]>;
  /** Every warehouse of one type (Default: 1 local) that is not deleted, all pages. */
  listWarehouses(type?: number, options?: CallOptions): Promise<LingxingWarehouse[]>;
  /** Every logistics type of one provider type, enabled or not, all pages. */
  listLogisticsTypes(providerType: number, options?: CallOptions): Promise<LingxingLogisticsType[]>;
}

async function fetchPage<T extends z.ZodType>(call: LingxingCall, endpoint: string, item: T, params: Record<string, unknown>, options?: CallOptions): Promise<Page<z.output<T>>> {
  const envelope = await call(endpoint, params, options);
  return parseOrThrow(pageSchema(item), pageOf(envelope), endpoint);
}

/** The three account lists over a client's signed call. */
export function makeAccountLists(call: LingxingCall): AccountLists {
  const { sellerList, warehouseList, usedLogisticsTypes } = LINGXING_ACCOUNT_ENDPOINTS;
  return {
    listStores: (platformCodes, options) =>
      collectOffsetPages(ACCOUNT_LIST_PAGE.stores, (offset, length) =>
        fetchPage(call, sellerList, lingxingStoreSchema, { offset, length, ...(platformCodes.length > 0 ? { platform_code: [...platformCodes] } : {}) }, options),
      ),
    listWarehouses: (type = 1, options) =>
      collectOffsetPages(ACCOUNT_LIST_PAGE.warehouses, (offset, length) =>
        fetchPage(call, warehouseList, lingxingWarehouseSchema, { type, is_delete: '0', offset, length }, options),
      ),
    listLogisticsTypes: (providerType, options) =>
      collectNumberedPages(ACCOUNT_LIST_PAGE.logistics, (page, length) =>
        fetchPage(call, usedLogisticsTypes, lingxingLogisticsTypeSchema, { param: { provider_type: providerType, page, length } }, options),
      ),
  };
}
