import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { makeSilentLogger, type Logger } from '@dlsync/logger';
import { makeInflightLimiter, type CallObserver, type InflightLimiter, type RetryPolicy } from '@dlsync/remote';
import { makeAuthClient } from './auth.js';
import { BUCKET_LEASE_MS, DEFAULT_BUCKETS, LINGXING_ENDPOINTS, type LingxingEndpoint } from './endpoints.js';
import { pageOf, type Envelope } from './envelope.js';
import { makeListHelpers, type ListHelpers } from './list-helpers.js';
import type {
  CallOptions,
  CancelOrdersParams,
  CreateOrdersParams,
  GetPairListParams,
  InventoryDetailsParams,
  ListOrdersParams,
  WmsOrderListParams,
} from './params.js';
import { parseOrThrow } from './parse.js';
import {
  cancelOrdersResultSchema,
  createOrdersResultSchema,
  inventoryRowSchema,
  orderSchema,
  pageSchema,
  skuPairSchema,
  wmsOrderSchema,
  type CancelOrdersResult,
  type CreateOrdersResult,
  type InventoryRow,
  type LingxingOrder,
  type Page,
  type SkuPair,
  type WmsOrder,
} from './schemas.js';
import { makeSignedCaller } from './signed-call.js';
import { parseLingxingTime } from './time.js';
import { makeTokenManager, type TokenManager } from './token-manager.js';
import { wireInteger } from './wire-ids.js';

export interface LingxingClientOptions {
  /** e.g. `https://openapi.lingxing.com` or the sandbox URL. */
  baseUrl: string;
  /** Also the `app_key` and the AES key of every sign (16 bytes). */
  appId: string;
  appSecret: string;
  /** Holds the shared token, its lock and the in-flight buckets. */
  redis: Redis;
  /** Prefix of every Redis key, e.g. `${redisPrefix}lingxing:`. */
  keyPrefix: string;
  /** In-flight slots per endpoint across all processes. (Default: {@link DEFAULT_BUCKETS}) */
  buckets?: Partial<Record<LingxingEndpoint, number>>;
  /** Retry budget per call. (Default: remote's DEFAULT_RETRY_POLICY, 5 attempts) */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout in ms. (Default: 30000) */
  timeoutMs?: number;
  /** Epoch ms for sign timestamps and token expiry. (Default: Date.now) */
  clock?: () => number;
  logger?: Logger;
  /** Told about every HTTP attempt, auth calls included. */
  onCall?: CallObserver;
  /** IANA zone of the warehouse-local times Lingxing returns. (Default: UTC) */
  timezone?: string;
  /** Renew the token when less than this is left. (Default: 300000) */
  refreshAheadMs?: number;
}

export interface LingxingClient extends ListHelpers {
  createOrders(params: CreateOrdersParams, options?: CallOptions): Promise<CreateOrdersResult>;
  /**
   * Marks orders "do not ship" (Lingxing status 7) by global order number, at most
   * {@link LINGXING_MAXIMA}.cancelOrdersOrderList per call. Per-order failures come back in
   * `failure_info`; the call itself throws only when Lingxing refuses it as a whole.
   */
  cancelOrders(params: CancelOrdersParams, options?: CallOptions): Promise<CancelOrdersResult>;
  listOrders(params: ListOrdersParams, options?: CallOptions): Promise<Page<LingxingOrder>>;
  wmsOrderList(params: WmsOrderListParams, options?: CallOptions): Promise<Page<WmsOrder>>;
  inventoryDetails(params: InventoryDetailsParams, options?: CallOptions): Promise<Page<InventoryRow>>;
  getPairList(params: GetPairListParams, options?: CallOptions): Promise<Page<SkuPair>>;
  /** Any other business endpoint, signed and limited like the rest (bucket of 1 unless configured). */
  call(endpoint: string, params: Record<string, unknown>, options?: CallOptions): Promise<Envelope>;
  /** Converts a warehouse-local "YYYY-MM-DD HH:MM:SS" ("" → null) using `timezone`. */
  parseTime(value: string): Date | null;
  readonly tokens: TokenManager;
}

/** The Lingxing OpenAPI client: shared token, signed calls, shared buckets, retries, typed results. */
export function makeLingxingClient(options: LingxingClientOptions): LingxingClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? makeSilentLogger();
  const buckets: Record<string, number> = { ...DEFAULT_BUCKETS, ...options.buckets };
  const timezone = options.timezone ?? 'UTC';

  const auth = makeAuthClient({
    baseUrl: options.baseUrl,
    appId: options.appId,
    appSecret: options.appSecret,
    timeoutMs,
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  const tokens = makeTokenManager({
    redis: options.redis,
    keyPrefix: options.keyPrefix,
    appId: options.appId,
    auth,
    clock,
    logger,
    // A renewal may be a refresh followed by a fresh issue, each up to one timeout.
    lockTtlMs: 2 * timeoutMs + 5_000,
    ...(options.refreshAheadMs === undefined ? {} : { refreshAheadMs: options.refreshAheadMs }),
  });

  const limiters = new Map<string, InflightLimiter>();
  const limiterFor = (endpoint: string): InflightLimiter => {
    let limiter = limiters.get(endpoint);
    if (!limiter) {
      limiter = makeInflightLimiter(options.redis, {
        key: `${options.keyPrefix}inflight:${options.appId}:${endpoint}`,
        size: buckets[endpoint] ?? 1,
        leaseMs: BUCKET_LEASE_MS,
      });
      limiters.set(endpoint, limiter);
    }
    return limiter;
  };

  const signedCall = makeSignedCaller({
    baseUrl: options.baseUrl,
    appId: options.appId,
    tokens,
    limiterFor,
    retry: options.retry ?? {},
    timeoutMs,
    clock,
    logger,
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });

  const call = (endpoint: string, params: Record<string, unknown>, callOptions: CallOptions = {}): Promise<Envelope> =>
    signedCall(endpoint, params, callOptions.signal);

  async function fetchPage<T extends z.ZodType>(endpoint: string, item: T, params: object, callOptions?: CallOptions): Promise<Page<z.output<T>>> {
    const envelope = await call(endpoint, params as Record<string, unknown>, callOptions);
    return parseOrThrow(pageSchema(item), pageOf(envelope), endpoint);
  }

  const methods = {
    async createOrders(params: CreateOrdersParams, callOptions?: CallOptions): Promise<CreateOrdersResult> {
      const endpoint = LINGXING_ENDPOINTS.createOrders;
      const envelope = await call(endpoint, params as unknown as Record<string, unknown>, callOptions);
      return parseOrThrow(createOrdersResultSchema, envelope.data ?? {}, endpoint);
    },
    async cancelOrders(params: CancelOrdersParams, callOptions?: CallOptions): Promise<CancelOrdersResult> {
      const endpoint = LINGXING_ENDPOINTS.cancelOrders;
      // The reference types order_list as an array of strings: the digits go as strings.
      const order_list = params.order_list.map((no) => String(wireInteger(no, endpoint, 'order_list')));
      if (order_list.length === 0) return { success_num: 0, fail_num: 0, failure_info: [] };
      const envelope = await call(endpoint, { order_list }, callOptions);
      return parseOrThrow(cancelOrdersResultSchema, envelope.data ?? {}, endpoint);
    },
    listOrders: (params: ListOrdersParams, callOptions?: CallOptions) =>
      fetchPage(LINGXING_ENDPOINTS.listOrders, orderSchema, params, callOptions),
    wmsOrderList: (params: WmsOrderListParams, callOptions?: CallOptions) => {
      const endpoint = LINGXING_ENDPOINTS.wmsOrderList;
      // sid_arr is int in the reference: exact digits as JSON integers (never via a JS number).
      const sid_arr = params.sid_arr.map((sid) => wireInteger(sid, endpoint, 'sid_arr'));
      return fetchPage(endpoint, wmsOrderSchema, { ...params, sid_arr }, callOptions);
    },
    inventoryDetails: (params: InventoryDetailsParams, callOptions?: CallOptions) =>
      fetchPage(LINGXING_ENDPOINTS.inventoryDetails, inventoryRowSchema, params, callOptions),
    getPairList: (params: GetPairListParams, callOptions?: CallOptions) =>
      fetchPage(LINGXING_ENDPOINTS.getPairList, skuPairSchema, params, callOptions),
  };

  return {
    ...methods,
    ...makeListHelpers(methods, {
      concurrency: {
        listOrders: buckets[LINGXING_ENDPOINTS.listOrders] ?? 1,
        wmsOrderList: buckets[LINGXING_ENDPOINTS.wmsOrderList] ?? 1,
      },
      clock,
      timezone,
    }),
    call,
    parseTime: (value) => parseLingxingTime(value, timezone),
    tokens,
  };
}
