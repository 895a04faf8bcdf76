/** Business endpoints the client calls. */
export const LINGXING_ENDPOINTS = {
  createOrders: '/pb/mp/order/v2/create',
  listOrders: '/pb/mp/order/v2/list',
  cancelOrders: '/pb/mp/order/v2/cancelOrder',
  wmsOrderList: '/erp/sc/routing/wms/order/wmsOrderList',
  inventoryDetails: '/erp/sc/routing/data/local_inventory/inventoryDetails',
  getPairList: '/pb/mp/listing/v2/getPairList',
} as const;

export type LingxingEndpoint = (typeof LINGXING_ENDPOINTS)[keyof typeof LINGXING_ENDPOINTS];

/** Auth server endpoints (no signature, no bucket). */
export const LINGXING_AUTH_ENDPOINTS = {
  accessToken: '/api/auth-server/oauth/access-token',
  refresh: '/api/auth-server/oauth/refresh',
} as const;

/** Lingxing's token buckets: calls allowed in flight per appId + path. */
export const DEFAULT_BUCKETS: Readonly<Record<LingxingEndpoint, number>> = {
  [LINGXING_ENDPOINTS.createOrders]: 10,
  [LINGXING_ENDPOINTS.listOrders]: 10,
  [LINGXING_ENDPOINTS.cancelOrders]: 10,
  [LINGXING_ENDPOINTS.getPairList]: 10,
  [LINGXING_ENDPOINTS.wmsOrderList]: 1,
  [LINGXING_ENDPOINTS.inventoryDetails]: 1,
};

/** A bucket slot not returned within this time is given back (Lingxing does the same). */
export const BUCKET_LEASE_MS = 120_000;

/** Largest page / ID-list sizes each endpoint accepts. */
export const LINGXING_MAXIMA = {
  listOrdersPlatformOrderNos: 200,
  listOrdersLength: 500,
  wmsOrderListPageSize: 200,
  wmsOrderListPlatformOrderNos: 200,
  /** Days one wmsOrderList window may span; dlsync keeps each window within Lingxing's one-month default. */
  wmsOrderListWindowDays: 31,
  /** Global order numbers per cancelOrder call (the reference gives no maximum; the create maximum is used). */
  cancelOrdersOrderList: 200,
  inventoryDetailsLength: 800,
  getPairListLength: 200,
} as const;
