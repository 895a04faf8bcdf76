import type { Redis } from 'ioredis';
import { makeSilentLogger, type Logger } from '@dlsync/logger';
import { makeRateLimiter, type CallObserver, type RateLimit, type RateLimiter, type RetryPolicy } from '@dlsync/remote';
import { makeOAuthTokenSource, makeStaticTokenSource, type DscoAuth, type TokenSource } from './auth.js';
import {
  assertBodyFits,
  toAcknowledgeItem,
  type DscoAcknowledgeRequest,
  type DscoInvoice,
  type DscoItemInventory,
  type DscoOrderShipments,
} from './bodies.js';
import { DSCO_ENDPOINT_LIMITS, DSCO_ENDPOINTS, type DscoEndpoint } from './endpoint-limits.js';
import { readChangeLog, type ChangeLogKind, type ChangeLogQuery, type ChangeLogRead, type ChangeLogReadOptions } from './change-logs.js';
import { iterateOrders, type DscoOrderPage, type IterateOrdersOptions } from './iterate-orders.js';
import {
  asyncAcceptedSchema,
  changeLogSchema,
  dscoOrderSchema,
  invoiceListSchema,
  oauthTokenSchema,
  type DscoAsyncAccepted,
  type DscoChangeLog,
  type DscoInvoiceRecord,
  type DscoOrder,
} from './schemas.js';
import { makeScrubber } from './scrub.js';
import { makeDscoTransport, type DscoRequest } from './transport.js';
import { dscoItemInventorySchema, type DscoItemInventoryRead } from './inventory-read.js';
import { listDscoWarehouses, type DscoWarehouse } from './warehouses.js';

export interface DscoRateLimits {
  /**
   * An account-wide cap over every endpoint together, on top of each endpoint's own limits
   * (DSCO states none; an operator may want one). (Default: none)
   */
  overall?: RateLimit[];
  /** Per-endpoint overrides. (Default: {@link DSCO_ENDPOINT_LIMITS}) */
  endpoints?: Partial<Record<DscoEndpoint, RateLimit[]>>;
}



export interface DscoClientOptions {
  /** e.g. `https://api.dsco.io/api/v3` (no trailing slash needed). */
  baseUrl: string;
  auth: DscoAuth;
  /** Holds the rate-limit state shared by every process. */
  redis: Redis;
  /** Prefix of every Redis key, e.g. `dlsync:`. */
  keyPrefix: string;
  rateLimits?: DscoRateLimits;
  /** Retry policy per call. (Default: {@link DEFAULT_RETRY_POLICY} of @dlsync/remote) */
  retry?: Partial<RetryPolicy>;
  /** Per HTTP attempt. (Default: 30000) */
  timeoutMs?: number;
  /** Current time, for `until` clamping, token expiry and Retry-After dates. (Default: wall clock) */
  clock?: () => Date;
  logger?: Logger;
  /** Told about every HTTP attempt. */
  onCall?: CallObserver;
}

export interface SignalOption {
  signal?: AbortSignal;
}

export type DscoChangeLogKind = 'order' | 'invoice' | 'inventory';

export interface DscoClient {
  /** Pages of orders created in [createdSince, until]; see {@link iterateOrders}. */
  iterateOrders(options: IterateOrdersOptions): AsyncGenerator<DscoOrderPage, void, undefined>;
  /** The order with this PO number, or undefined when DSCO has none (404). */
  getOrderByPo(poNumber: string, options?: SignalOption): Promise<DscoOrder | undefined>;
  /** Acknowledges the POs in one call (a body up to DSCO's 5 MB; see packByBytes). */
  acknowledge(orders: readonly DscoAcknowledgeRequest[], options?: SignalOption): Promise<DscoAsyncAccepted>;
  /** Async: the outcome is in the order change log under the returned requestId. */
  createShipments(batch: readonly DscoOrderShipments[], options?: SignalOption): Promise<DscoAsyncAccepted>;
  /** Async: the outcome is in the invoice change log under the returned requestId. */
  createInvoices(invoices: readonly DscoInvoice[], options?: SignalOption): Promise<DscoAsyncAccepted>;
  getInvoicesByPo(poNumber: string, options?: SignalOption): Promise<DscoInvoiceRecord[]>;
  /** Async: the outcome is in the inventory change log under the returned requestId. */
  updateInventory(
    items: readonly DscoItemInventory[],
    options?: SignalOption & { /** (Default: true) */ skipItemsThatDontExist?: boolean },
  ): Promise<DscoAsyncAccepted>;
  getChangeLog(kind: DscoChangeLogKind, requestId: string, options?: SignalOption): Promise<DscoChangeLog>;
  /** Every entry of a change-log query (by requestId or startDate/endDate window), all pages; see {@link readChangeLog}. */
  readChangeLog(kind: ChangeLogKind, query: ChangeLogQuery, options?: ChangeLogReadOptions): Promise<ChangeLogRead>;
  /** The supplier's warehouses (`GET /warehouse/page`), every page; read-only, for the preflight. */
  listWarehouses(options?: SignalOption): Promise<DscoWarehouse[]>;
  /** What DSCO holds for one supplier sku (`GET /inventory`, 15/s and 300/min); undefined when DSCO has no such item (404). */
  getInventory(sku: string, options?: SignalOption): Promise<DscoItemInventoryRead | undefined>;
}

/**
 * Slack on the windows DSCO states and counts: a 429 costs a Retry-After of at least a second; 8 %
 * of the rate costs less. dlsync's own pacing of an endpoint DSCO states no rate for has no server
 * window to stay under, so it gets none: there it would only slow the change-log reads verified
 * writes wait on by the same 8 %.
 */
const RATE_MARGIN_MS = 80;
const DEFAULT_TOKEN_LIFETIME_S = 3600;

export function makeDscoClient(options: DscoClientOptions): DscoClient {
  const clock = options.clock;
  const now = clock ? () => clock().getTime() : () => Date.now();
  const logger = options.logger ?? makeSilentLogger();
  const limiter = makeEndpointLimiters(options);

  const auth = options.auth;
  const tokens: TokenSource =
    'token' in auth
      ? makeStaticTokenSource(auth.token)
      : makeOAuthTokenSource({
          clientSecret: auth.clientSecret,
          now,
          async fetchToken() {
            const body = await transport.call(
              {
                method: 'POST',
                endpoint: '/oauth2/token',
                form: { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret },
                authenticated: false,
                // A new token per try is harmless, and a truncated body may hold the token.
                idempotent: true,
                secretResponse: true,
                // The call needing the token owns the retries (each retry asks for a token again).
                retry: { attempts: 1 },
              },
              oauthTokenSchema,
            );
            logger.info('dsco access token issued', { expiresInS: body.expires_in ?? DEFAULT_TOKEN_LIFETIME_S });
            return { accessToken: body.access_token, expiresInMs: (body.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000 };
          },
        });

  const transport = makeDscoTransport({
    baseUrl: options.baseUrl,
    tokens,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: options.retry ?? {},
    now,
    logger,
    ...(options.onCall && { onCall: options.onCall }),
    scrub: makeScrubber(() => tokens.secrets()),
  });

  type PostEndpoint = 'POST /order/acknowledge' | 'POST /order/shipment/batch/small' | 'POST /invoice/batch/small' | 'POST /inventory/batch/small';
  function post(endpoint: PostEndpoint, items: readonly unknown[], signal: AbortSignal | undefined, extra: Partial<DscoRequest> = {}): Promise<DscoAsyncAccepted> {
    assertBodyFits(endpoint, items);
    const request: DscoRequest = { method: 'POST', endpoint: pathOf(endpoint), json: items, limiter: limiter(endpoint), ...(signal && { signal }), ...extra };
    return transport.call(request, asyncAcceptedSchema);
  }

  function get(endpoint: DscoEndpoint, searchParams: Record<string, string>, signal: AbortSignal | undefined): DscoRequest {
    return { method: 'GET', endpoint: pathOf(endpoint), searchParams: new URLSearchParams(searchParams), limiter: limiter(endpoint), ...(signal && { signal }) };
  }

  return {
    iterateOrders: (iterateOptions) => iterateOrders({ transport, limiter: limiter('GET /order/page'), logger, now }, iterateOptions),

    async getOrderByPo(poNumber, { signal } = {}) {
      assertNonEmpty('poNumber', poNumber);
      return transport.callUnless(get('GET /order/', { orderKey: 'poNumber', value: poNumber }, signal), dscoOrderSchema, [404]);
    },

    async acknowledge(orders, { signal } = {}) {
      const body = orders.map(toAcknowledgeItem);
      return post('POST /order/acknowledge', body, signal);
    },

    async createShipments(batch, { signal } = {}) {
      return post('POST /order/shipment/batch/small', batch, signal);
    },

    async createInvoices(invoices, { signal } = {}) {
      return post('POST /invoice/batch/small', invoices, signal);
    },

    async getInvoicesByPo(poNumber, { signal } = {}) {
      assertNonEmpty('poNumber', poNumber);
      const body = await transport.call(get('GET /invoice', { key: 'poNumber', value: poNumber }, signal), invoiceListSchema);
      return body.invoices;
    },

    async updateInventory(items, { signal, skipItemsThatDontExist = true } = {}) {
      return post('POST /inventory/batch/small', items, signal, {
        searchParams: new URLSearchParams({ skipItemsThatDontExist: String(skipItemsThatDontExist) }),
      });
    },

    async getChangeLog(kind, requestId, { signal } = {}) {
      assertNonEmpty('requestId', requestId);
      return transport.call(get(`GET /${kind}/log`, { requestId }, signal), changeLogSchema);
    },

    readChangeLog: (kind, query, readOptions) =>
      readChangeLog({ transport, limiterOf: (k) => limiter(`GET /${k}/log`), logger }, kind, query, readOptions),

    listWarehouses: ({ signal } = {}) => listDscoWarehouses(transport, { limiter: limiter('GET /warehouse/page'), ...(signal && { signal }) }),

    async getInventory(sku, { signal } = {}) {
      assertNonEmpty('sku', sku);
      return transport.callUnless(get('GET /inventory', { itemKey: 'sku', value: sku }, signal), dscoItemInventorySchema, [404]);
    },
  };
}

/** The slack added to an endpoint's windows (see {@link RATE_MARGIN_MS}): stated limits only. */
export function rateMarginOf(endpoint: DscoEndpoint): number {
  return DSCO_ENDPOINT_LIMITS[endpoint].stated ? RATE_MARGIN_MS : 0;
}

/** The URL path of an endpoint key, e.g. `GET /order/page` → `/order/page`. */
function pathOf(endpoint: DscoEndpoint): string {
  return endpoint.slice(endpoint.indexOf(' ') + 1);
}

/**
 * One Redis-backed limiter per endpoint (shared by every worker through the key prefix), each
 * also inside the optional account-wide cap, checked atomically with it.
 */
function makeEndpointLimiters(options: DscoClientOptions): (endpoint: DscoEndpoint) => RateLimiter {
  const overall = options.rateLimits?.overall;
  const alsoWithin = overall && overall.length > 0 ? [{ key: `${options.keyPrefix}dsco:rate:all`, limits: overall }] : [];
  const limiters = new Map<DscoEndpoint, RateLimiter>();
  for (const endpoint of DSCO_ENDPOINTS) {
    limiters.set(
      endpoint,
      makeRateLimiter(options.redis, {
        key: `${options.keyPrefix}dsco:rate:${endpoint.replace(/[^A-Za-z0-9]+/g, '_')}`,
        limits: options.rateLimits?.endpoints?.[endpoint] ?? DSCO_ENDPOINT_LIMITS[endpoint].limits,
        alsoWithin,
        marginMs: rateMarginOf(endpoint),
      }),
    );
  }
  return (endpoint) => limiters.get(endpoint) as RateLimiter;
}

function assertNonEmpty(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
}
