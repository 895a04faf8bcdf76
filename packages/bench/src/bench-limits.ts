import { DSCO_BODY_BUDGET_BYTES, DSCO_ENDPOINT_LIMITS, DSCO_ENDPOINTS } from '@dlsync/dsco';
import { DEFAULT_BUCKETS, LINGXING_MAXIMA } from '@dlsync/lingxing';
import { BENCH_CHANGE_LOG_PAGE_SIZE } from './bench-sandbox.js';
import { itemsPerBody, type ApiMaxima, type Limits, type WindowLimit } from './lower-bound.js';

/**
 * DSCO's per-endpoint limits keyed by URL path (how calls are counted), straight from the dsco
 * package's one table: the bench never keeps a copy of its own.
 */
export function dscoLimitsByPath(): Record<string, readonly WindowLimit[]> {
  return Object.fromEntries(DSCO_ENDPOINTS.map((e) => [e.slice(e.indexOf(' ') + 1), DSCO_ENDPOINT_LIMITS[e].limits]));
}

/** The limits a lifecycle run meets: Lingxing's buckets, DSCO's per-endpoint rates and the injected latency. */
export function benchLimits(latencyMs: number): Limits {
  return { lingxingBuckets: { ...DEFAULT_BUCKETS }, dscoEndpoints: dscoLimitsByPath(), latencyMs };
}

/**
 * Typical wire sizes of one item, measured on the sandbox's normal orders: an acknowledgement
 * with a Lingxing order number, one shipment of one or two lines, an invoice of one or two lines.
 */
export const TYPICAL_ITEM_BYTES = { ack: 80, shipment: 400, invoice: 400 } as const;

/** The APIs' batch maxima; DSCO's write bodies hold as many items as fit in dlsync's byte budget. */
export function apiMaxima(): ApiMaxima {
  return {
    dscoPageSize: 1000,
    lingxingListPos: LINGXING_MAXIMA.listOrdersPlatformOrderNos,
    wmsPos: LINGXING_MAXIMA.wmsOrderListPlatformOrderNos,
    lingxingCreate: 200,
    dscoAck: itemsPerBody(DSCO_BODY_BUDGET_BYTES, TYPICAL_ITEM_BYTES.ack),
    dscoShipments: itemsPerBody(DSCO_BODY_BUDGET_BYTES, TYPICAL_ITEM_BYTES.shipment),
    dscoInvoices: itemsPerBody(DSCO_BODY_BUDGET_BYTES, TYPICAL_ITEM_BYTES.invoice),
    changeLogPageSize: BENCH_CHANGE_LOG_PAGE_SIZE,
  };
}
