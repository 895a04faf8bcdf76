import { LINGXING_MAXIMA } from './endpoints.js';
import type { CallOptions, GetPairListParams, InventoryDetailsParams, ListOrdersParams, WmsOrderListParams } from './params.js';
import { chunk, collectNumberedPages, collectOffsetPages, mapConcurrent } from './paging.js';
import type { InventoryRow, LingxingOrder, Page, SkuPair, WmsOrder } from './schemas.js';
import type { DecimalId } from './wire-ids.js';
import { wmsWindows } from './wms-window.js';

interface PagedMethods {
  listOrders(params: ListOrdersParams, options?: CallOptions): Promise<Page<LingxingOrder>>;
  wmsOrderList(params: WmsOrderListParams, options?: CallOptions): Promise<Page<WmsOrder>>;
  inventoryDetails(params: InventoryDetailsParams, options?: CallOptions): Promise<Page<InventoryRow>>;
  getPairList(params: GetPairListParams, options?: CallOptions): Promise<Page<SkuPair>>;
}

export interface ListOrdersByPoOptions extends CallOptions {
  /** Our store ids. A PO number is unique only within a store, so callers should always scope. */
  store_id?: DecimalId[];
  /** (Default: false) */
  include_delete?: boolean;
}

export interface WmsOrdersByPoOptions extends CallOptions {
  status_arr?: number[];
  /**
   * The oldest order wanted was created at or after this instant; the reads cover it up to now.
   * (Default: 28 days ago, so the margins of {@link wmsWindows} still fit one 31-day window)
   */
  since?: Date;
}

export interface AllInventoryOptions extends CallOptions {
  sku?: string;
}

export interface ListHelpers {
  /** Every order (all sub-orders) of the given POs; ≤ 200 POs per call, pages of 500. */
  listOrdersByPo(pos: readonly string[], options?: ListOrdersByPoOptions): Promise<LingxingOrder[]>;
  /**
   * Every WMS outbound order of the given POs in the given shops (store ids) created since
   * `since`; ≤ 200 POs per call, pages of 200, one listing per ≤ 31-day window.
   */
  wmsOrdersByPo(pos: readonly string[], sids: readonly DecimalId[], options?: WmsOrdersByPoOptions): Promise<WmsOrder[]>;
  /** Every inventory row of the given warehouses, pages of 800. */
  allInventory(wids: readonly string[], options?: AllInventoryOptions): Promise<InventoryRow[]>;
  /** Every MSKU ↔ SKU pair of the given stores on one platform. */
  allPairs(storeIds: readonly string[], platformCode: string, options?: CallOptions): Promise<SkuPair[]>;
}

export interface ListHelperDeps {
  /** In-flight calls per helper (the endpoint's bucket size). */
  concurrency: { listOrders: number; wmsOrderList: number };
  /** Epoch ms. */
  clock: () => number;
  /** Lingxing's zone for the Y-m-d dates of wmsOrderList windows. */
  timezone: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_SINCE_DAYS = 28;

/**
 * Whole-listing reads on top of the paged methods. ID lists are chunked to the API maxima and
 * chunks run concurrently up to the endpoint's bucket size (the shared limiter enforces the
 * bucket across processes anyway; this only avoids queueing more than can run).
 */
export function makeListHelpers(methods: PagedMethods, deps: ListHelperDeps): ListHelpers {
  const { concurrency } = deps;
  return {
    async listOrdersByPo(pos, options = {}) {
      const { signal, store_id, include_delete = false } = options;
      const chunks = chunk(unique(pos), LINGXING_MAXIMA.listOrdersPlatformOrderNos);
      const pages = await mapConcurrent(chunks, concurrency.listOrders, (platform_order_nos) =>
        collectOffsetPages(LINGXING_MAXIMA.listOrdersLength, (offset, length) =>
          methods.listOrders(
            { platform_order_nos, offset, length, include_delete, ...(store_id ? { store_id } : {}) },
            signalOnly(signal),
          ),
        ),
      );
      return pages.flat();
    },

    async wmsOrdersByPo(pos, sids, options = {}) {
      const { signal, status_arr } = options;
      const now = new Date(deps.clock());
      const maxDays = LINGXING_MAXIMA.wmsOrderListWindowDays;
      const since = options.since ?? new Date(now.getTime() - DEFAULT_SINCE_DAYS * DAY_MS);
      const windows = wmsWindows({ since, now, timezone: deps.timezone, maxDays });
      const chunks = chunk(unique(pos), LINGXING_MAXIMA.wmsOrderListPlatformOrderNos);
      const reads = chunks.flatMap((platform_order_no_arr) => windows.map((window) => ({ platform_order_no_arr, window })));
      const pages = await mapConcurrent(reads, concurrency.wmsOrderList, ({ platform_order_no_arr, window }) =>
        collectNumberedPages(LINGXING_MAXIMA.wmsOrderListPageSize, (page, page_size) =>
          methods.wmsOrderList(
            { page, page_size, sid_arr: unique(sids), platform_order_no_arr, ...window, ...(status_arr ? { status_arr } : {}) },
            signalOnly(signal),
          ),
        ),
      );
      // Windows do not overlap, but a record could still be listed twice if it moved between pages.
      return uniqueBy(pages.flat(), (r) => (r.wo_number ? r.wo_number : ''));
    },

    async allInventory(wids, options = {}) {
      const { signal, sku } = options;
      if (wids.length === 0) return [];
      const wid = unique(wids).join(',');
      return collectOffsetPages(LINGXING_MAXIMA.inventoryDetailsLength, (offset, length) =>
        methods.inventoryDetails({ wid, offset, length, ...(sku ? { sku } : {}) }, signalOnly(signal)),
      );
    },

    async allPairs(storeIds, platformCode, options = {}) {
      if (storeIds.length === 0) return [];
      const store_ids = unique(storeIds);
      return collectOffsetPages(LINGXING_MAXIMA.getPairListLength, (offset, length) =>
        methods.getPairList({ offset, length, platform_codes: [platformCode], store_ids }, signalOnly(options.signal)),
      );
    },
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (k === '' || !seen.has(k)) seen.set(k === '' ? `#${seen.size}` : k, item);
  }
  return [...seen.values()];
}

function signalOnly(signal: AbortSignal | undefined): CallOptions {
  return signal ? { signal } : {};
}
