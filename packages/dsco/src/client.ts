import type { Redis } from 'ioredis';
import { makeSilentLogger, type Logger } from '@dlsync/logger';
import { makeRateLimiter, type CallObserver, type RateLimit, type RetryPolicy } from '@dlsync/remote';
import { makeOAuthTokenSource, makeStaticTokenSource, type DscoAuth, type TokenSource } from './auth.js';
import {
  assertBatchSize,
  type DscoAcknowledgeItem,
  type DscoInvoice,
  type DscoItemInventory,
  type DscoOrderShipments,
} from './bodies.js';
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
import { listDscoWarehouses, type DscoWarehouse } from './warehouses.js';

export interface DscoRateLimits {
  /** Every call except acknowledge. (Default: 10 per second and 500 per minute) */
  overall?: RateLimit[];
  /** `POST /order/acknowledge`. (Default: 15 per second) */
  acknowledge?: RateLimit[];
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
  /** Acknowledges up to {@link DSCO_BATCH_MAX}.acknowledge POs in one call. */
  acknowledge(poNumbers: readonly string[], options?: SignalOption): Promise<DscoAsyncAccepted>;
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
  /** The supplier's warehouses (`GET /warehouse/page`), every page; read-only, for the preflight. */
  listWarehouses(options?: SignalOption): Promise<DscoWarehouse[]>;
}

const DEFAULT_OVERALL: RateLimit[] = [
  { max: 10, perMs: 1_000 },
  { max: 500, perMs: 60_000 },
];
const DEFAULT_ACKNOWLEDGE: RateLimit[] = [{ max: 15, perMs: 1_000 }];
/** Slack on DSCO's windows: a 429 costs a Retry-After of at least a second; 8 % of the rate costs less. */
const RATE_MARGIN_MS = 80;
const DEFAULT_TOKEN_LIFETIME_S = 3600;

export function makeDscoClient(options: DscoClientOptions): DscoClient {
  const clock = options.clock;
  const now = clock ? () => clock().getTime() : () => Date.now();
  const logger = options.logger ?? makeSilentLogger();
  const overall = makeRateLimiter(options.redis, {
    key: `${options.keyPrefix}dsco:rate`,
    limits: options.rateLimits?.overall ?? DEFAULT_OVERALL,
    marginMs: RATE_MARGIN_MS,
  });
  const acknowledgeLimiter = makeRateLimiter(options.redis, {
    key: `${options.keyPrefix}dsco:rate:acknowledge`,
    limits: options.rateLimits?.acknowledge ?? DEFAULT_ACKNOWLEDGE,
    marginMs: RATE_MARGIN_MS,
  });

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

  function post(endpoint: string, json: unknown, signal: AbortSignal | undefined, extra: Partial<DscoRequest> = {}): Promise<DscoAsyncAccepted> {
    const request: DscoRequest = { method: 'POST', endpoint, json, limiter: overall, ...(signal && { signal }), ...extra };
    return transport.call(request, asyncAcceptedSchema);
  }

  function get(endpoint: string, searchParams: Record<string, string>, signal: AbortSignal | undefined): DscoRequest {
    return { method: 'GET', endpoint, searchParams: new URLSearchParams(searchParams), limiter: overall, ...(signal && { signal }) };
  }

  return {
    iterateOrders: (iterateOptions) => iterateOrders({ transport, limiter: overall, logger, now }, iterateOptions),

    async getOrderByPo(poNumber, { signal } = {}) {
      assertNonEmpty('poNumber', poNumber);
      return transport.callUnless(get('/order/', { orderKey: 'poNumber', value: poNumber }, signal), dscoOrderSchema, [404]);
    },

    async acknowledge(poNumbers, { signal } = {}) {
      assertBatchSize('acknowledge', poNumbers);
      poNumbers.forEach((po) => assertNonEmpty('poNumber', po));
      const body: DscoAcknowledgeItem[] = poNumbers.map((id) => ({ id, type: 'PO_NUMBER' }));
      return post('/order/acknowledge', body, signal, { limiter: acknowledgeLimiter });
    },

    async createShipments(batch, { signal } = {}) {
      assertBatchSize('shipments', batch);
      return post('/order/shipment/batch/small', batch, signal);
    },

    async createInvoices(invoices, { signal } = {}) {
      assertBatchSize('invoices', invoices);
      return post('/invoice/batch/small', invoices, signal);
    },

    async getInvoicesByPo(poNumber, { signal } = {}) {
      assertNonEmpty('poNumber', poNumber);
      const body = await transport.call(get('/invoice', { key: 'poNumber', value: poNumber }, signal), invoiceListSchema);
      return body.invoices;
    },

    async updateInventory(items, { signal, skipItemsThatDontExist = true } = {}) {
      assertBatchSize('inventory', items);
      return post('/inventory/batch/small', items, signal, {
        searchParams: new URLSearchParams({ skipItemsThatDontExist: String(skipItemsThatDontExist) }),
      });
    },

    async getChangeLog(kind, requestId, { signal } = {}) {
      assertNonEmpty('requestId', requestId);
      return transport.call(get(`/${kind}/log`, { requestId }, signal), changeLogSchema);
    },

    listWarehouses: ({ signal } = {}) => listDscoWarehouses(transport, { limiter: overall, ...(signal && { signal }) }),
  };
}

function assertNonEmpty(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
}
