import { DEFAULT_LINGXING_ACCESS, type LingxingAccessOptions } from './lingxing/access.js';

/** Credentials the fake services accept. */
export interface SandboxCredentials {
  /** Static DSCO bearer token. (Default: `sandbox-dsco-token`) */
  dscoToken: string;
  /** DSCO OAuth2 client id. (Default: `sandbox-client`) */
  dscoClientId: string;
  /** DSCO OAuth2 client secret. (Default: `sandbox-secret`) */
  dscoClientSecret: string;
  /** Lingxing appId; 16 characters because it is the AES-128 key. (Default: `ak_sandbox000001`) */
  lingxingAppId: string;
  /** Lingxing appSecret. (Default: `sandbox-app-secret`) */
  lingxingAppSecret: string;
}

/** Lingxing in-flight bucket capacities per path (SPEC §8). */
export interface BucketOptions {
  /** Capacity per path; paths not listed are unlimited. */
  capacity: Record<string, number>;
  /** A slot held longer than this is reclaimed, as the real gateway does. (Default: 120000) */
  leaseMs: number;
}

/** DSCO per-endpoint request rate limits; sliding windows on wall time. */
export interface DscoRateLimitOptions {
  /** (Default: true) */
  enabled: boolean;
  /**
   * Overrides per `METHOD /path`, e.g. `{'GET /order/page': {perSecond: 2, perMinute: 10}}`.
   * (Default: the limits DSCO's reference states, see DSCO_STATED_RATES)
   */
  endpoints?: Record<string, { perSecond: number; perMinute: number }>;
}

/** Simulated delays of the Lingxing fulfilment pipeline, from the create call on. */
export interface FulfilmentOptions {
  /** Order status 1 → 5 (to ship). (Default: 300) */
  toShipAfterSeconds: number;
  /** Status 5 → 6 (shipped); the first WMS outbound record is shipped. (Default: 1800) */
  shipAfterSeconds: number;
  /** Split-shipment scenario: the second outbound record ships this long after create. (Default: 7200) */
  secondShipmentAfterSeconds: number;
}

export interface SandboxOptions {
  /** DSCO port; 0 picks a free one. (Default: 0) */
  portDsco?: number;
  /** Lingxing port; 0 picks a free one. (Default: 0) */
  portLingxing?: number;
  /** (Default: `127.0.0.1`) */
  host?: string;
  credentials?: Partial<SandboxCredentials>;
  /** Lingxing access token lifetime in simulated seconds. (Default: 7199) */
  lingxingTokenLifetimeSeconds?: number;
  /** Lingxing refresh token lifetime in simulated seconds. (Default: 172800) */
  lingxingRefreshTokenLifetimeSeconds?: number;
  /** DSCO OAuth2 token lifetime in simulated seconds. (Default: 3600) */
  dscoTokenLifetimeSeconds?: number;
  /** Overrides merged into the SPEC §8 capacities (create 10, list 10, getPairList 10, wmsOrderList 1, inventoryDetails 1). */
  buckets?: { capacity?: Record<string, number>; leaseMs?: number };
  dscoRateLimit?: Partial<DscoRateLimitOptions>;
  /** DSCO scroll ids expire after this much simulated idle time. (Default: 300) */
  scrollTtlSeconds?: number;
  /** How long (simulated ms) async DSCO batches stay PROCESSING. (Default: 250) */
  asyncDelayMs?: number;
  /** Share of async items (shipments, invoices, inventory) DSCO fails when it applies them, rolled with the seeded RNG. (Default: 0) */
  asyncFailureRate?: number;
  /** Change-log entries per page (`/order/log`, `/invoice/log`, `/inventory/log`). (Default: 100) */
  changeLogPageSize?: number;
  fulfilment?: Partial<FulfilmentOptions>;
  /** Seed for the world and the fault RNG. (Default: 1) */
  seed?: number;
  /** Orders generated at start. (Default: 0) */
  seedOrders?: number;
  /** Lingxing platform code of the custom platform the pairs belong to. (Default: `10009`) */
  platformCode?: string;
  /** Wall clock source in epoch ms. (Default: Date.now) */
  wallNow?: () => number;
  /** The Lingxing account's IP whitelist and API grants. (Default: whitelisted, everything granted) */
  lingxingAccess?: Partial<LingxingAccessOptions>;
}

export interface ResolvedOptions {
  host: string;
  portDsco: number;
  portLingxing: number;
  credentials: SandboxCredentials;
  lingxingTokenLifetimeSeconds: number;
  lingxingRefreshTokenLifetimeSeconds: number;
  dscoTokenLifetimeSeconds: number;
  buckets: BucketOptions;
  dscoRateLimit: DscoRateLimitOptions;
  scrollTtlSeconds: number;
  asyncDelayMs: number;
  asyncFailureRate: number;
  changeLogPageSize: number;
  fulfilment: FulfilmentOptions;
  seed: number;
  seedOrders: number;
  platformCode: string;
  wallNow: () => number;
  lingxingAccess: LingxingAccessOptions;
}

export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  dscoToken: 'sandbox-dsco-token',
  dscoClientId: 'sandbox-client',
  dscoClientSecret: 'sandbox-secret',
  lingxingAppId: 'ak_sandbox000001',
  lingxingAppSecret: 'sandbox-app-secret',
};

export const LINGXING_PATHS = {
  accessToken: '/api/auth-server/oauth/access-token',
  refresh: '/api/auth-server/oauth/refresh',
  orderCreate: '/pb/mp/order/v2/create',
  orderList: '/pb/mp/order/v2/list',
  orderCancel: '/pb/mp/order/v2/cancelOrder',
  wmsOrderList: '/erp/sc/routing/wms/order/wmsOrderList',
  inventoryDetails: '/erp/sc/routing/data/local_inventory/inventoryDetails',
  pairList: '/pb/mp/listing/v2/getPairList',
} as const;

export const DEFAULT_BUCKET_CAPACITY: Record<string, number> = {
  [LINGXING_PATHS.orderCreate]: 10,
  [LINGXING_PATHS.orderList]: 10,
  [LINGXING_PATHS.orderCancel]: 10,
  [LINGXING_PATHS.pairList]: 10,
  [LINGXING_PATHS.wmsOrderList]: 1,
  [LINGXING_PATHS.inventoryDetails]: 1,
};

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  if (Buffer.byteLength(credentials.lingxingAppId) !== 16) {
    throw new RangeError('credentials.lingxingAppId must be 16 bytes long (it is the AES-128 key)');
  }
  return {
    host: options.host ?? '127.0.0.1',
    portDsco: options.portDsco ?? 0,
    portLingxing: options.portLingxing ?? 0,
    credentials,
    lingxingTokenLifetimeSeconds: options.lingxingTokenLifetimeSeconds ?? 7199,
    lingxingRefreshTokenLifetimeSeconds: options.lingxingRefreshTokenLifetimeSeconds ?? 172_800,
    dscoTokenLifetimeSeconds: options.dscoTokenLifetimeSeconds ?? 3600,
    buckets: {
      capacity: { ...DEFAULT_BUCKET_CAPACITY, ...options.buckets?.capacity },
      leaseMs: options.buckets?.leaseMs ?? 120_000,
    },
    dscoRateLimit: { enabled: true, ...options.dscoRateLimit },
    scrollTtlSeconds: options.scrollTtlSeconds ?? 300,
    asyncDelayMs: options.asyncDelayMs ?? 250,
    asyncFailureRate: options.asyncFailureRate ?? 0,
    changeLogPageSize: options.changeLogPageSize ?? 100,
    fulfilment: { toShipAfterSeconds: 300, shipAfterSeconds: 1800, secondShipmentAfterSeconds: 7200, ...options.fulfilment },
    seed: options.seed ?? 1,
    seedOrders: options.seedOrders ?? 0,
    platformCode: options.platformCode ?? '10009',
    wallNow: options.wallNow ?? Date.now,
    lingxingAccess: { ...DEFAULT_LINGXING_ACCESS, ...options.lingxingAccess },
  };
}
