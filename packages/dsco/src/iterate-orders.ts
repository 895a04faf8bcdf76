import type { Logger } from '@dlsync/logger';
import type { RateLimiter } from '@dlsync/remote';
import { DscoApiError } from './errors.js';
import { readDscoOrder, type DscoOrder } from './order-reader.js';
import { orderPageSchema } from './schemas.js';
import type { DscoTransport } from './transport.js';

export type DscoOrderStatus = 'created' | 'shipment_pending' | 'shipped' | 'cancelled';

/** DSCO refuses an `until` less than this far in the past. */
export const UNTIL_MIN_AGE_MS = 5_000;

export interface IterateOrdersOptions {
  /** Inclusive lower bound on dscoCreateDate. Give this or `updatedSince`. */
  createdSince?: Date;
  /** Exclusive lower bound on the last update (`ordersUpdatedSince`). Give this or `createdSince`. */
  updatedSince?: Date;
  /** Upper bound; clamped to at most now − 5 s. (Default: now − 5 s) */
  until?: Date;
  /** Only these statuses (sent as repeated `status` params). (Default: all) */
  status?: readonly DscoOrderStatus[];
  /** `ordersPerPage`, 10–1000. (Default: 1000) */
  perPage?: number;
  signal?: AbortSignal;
}

export interface DscoOrderPage {
  /** Orders of this page not yielded before, each with a non-empty string poNumber. */
  orders: DscoOrder[];
  /** Entries without a usable poNumber, as received; never part of `orders`. */
  rejected: unknown[];
}

export interface OrderIteratorDeps {
  transport: DscoTransport;
  limiter: RateLimiter;
  logger: Logger;
  now: () => number;
  /** Scroll expiries tolerated in one iteration before giving up. (Default: 3) */
  maxScrollRestarts?: number;
}

/** `until` as sent: the caller's bound, but never later than now − 5 s. */
export function clampUntil(until: Date | undefined, nowMs: number): Date {
  const latest = nowMs - UNTIL_MIN_AGE_MS;
  return new Date(until === undefined ? latest : Math.min(until.getTime(), latest));
}

/**
 * Pages through `GET /order/page` for a creation window. When a scrollId expires (404) the
 * window is read again from its start and orders already yielded are skipped: DSCO does not
 * promise create-date order within a scroll, so resuming from "the newest date seen" could
 * miss older orders of unread pages. Every order therefore comes out exactly once.
 */
export async function* iterateOrders(deps: OrderIteratorDeps, options: IterateOrdersOptions): AsyncGenerator<DscoOrderPage, void, undefined> {
  const perPage = options.perPage ?? 1000;
  if (!Number.isInteger(perPage) || perPage < 10 || perPage > 1000) {
    throw new RangeError(`perPage must be an integer in 10–1000, got ${perPage}`);
  }
  const until = clampUntil(options.until, deps.now());
  const since = options.createdSince ?? options.updatedSince;
  if (!since || (options.createdSince && options.updatedSince)) throw new TypeError('give exactly one of createdSince and updatedSince');
  if (since.getTime() >= until.getTime()) return;

  const firstPage = new URLSearchParams({
    [options.createdSince ? 'ordersCreatedSince' : 'ordersUpdatedSince']: since.toISOString(),
    until: until.toISOString(),
    ordersPerPage: String(perPage),
  });
  for (const status of options.status ?? []) firstPage.append('status', status);

  const maxRestarts = deps.maxScrollRestarts ?? 3;
  const yielded = new Set<string>();
  const rejectedSeen = new Set<string>();
  let restarts = 0;
  let scrollId: string | undefined;

  // A page is read and sorted in a function of its own, so the generator, suspended at each yield
  // while the caller stores the page, holds only what it yields, not the raw page besides.
  const readPage = async (scroll: string | undefined): Promise<SortedPage | undefined> => {
    const page = await deps.transport.callUnless(
      {
        method: 'GET',
        endpoint: '/order/page',
        searchParams: scroll === undefined ? firstPage : new URLSearchParams({ scrollId: scroll }),
        limiter: deps.limiter,
        ...(options.signal && { signal: options.signal }),
      },
      orderPageSchema,
      // Only a scroll page's 404 means "scroll expired"; on the first page it is an error.
      scroll === undefined ? [] : [404],
    );
    return page && sortPage(page, yielded, rejectedSeen);
  };

  for (;;) {
    const page = await readPage(scrollId);
    if (page === undefined) {
      restarts++;
      if (restarts > maxRestarts) {
        throw new DscoApiError(`DSCO GET /order/page: scroll expired ${restarts} times; giving up on this window`, {
          method: 'GET',
          endpoint: '/order/page',
          status: 404,
          code: 'SCROLL_EXPIRED',
          retryable: true,
        });
      }
      deps.logger.warn('dsco order scroll expired, re-reading the window', { restarts, alreadyYielded: yielded.size });
      scrollId = undefined;
      continue;
    }
    if (page.empty) return;
    const { out } = page;
    if (out.rejected.length > 0) deps.logger.warn('dsco orders without a usable poNumber', { count: out.rejected.length });
    if (out.orders.length > 0 || out.rejected.length > 0) yield out;
    if (!page.scrollId) return;
    scrollId = page.scrollId;
  }
}

interface SortedPage {
  /** DSCO returned no orders: the scroll is over. */
  empty: boolean;
  /** The page's orders not yielded before, and its entries without a usable poNumber not seen before. */
  out: DscoOrderPage;
  scrollId: string | undefined;
}

function sortPage(page: { orders: unknown[]; scrollId?: string | null }, yielded: Set<string>, rejectedSeen: Set<string>): SortedPage {
  const out: DscoOrderPage = { orders: [], rejected: [] };
  for (const raw of page.orders) {
    const order = readDscoOrder(raw);
    if (order) {
      if (yielded.has(order.poNumber)) continue;
      yielded.add(order.poNumber);
      out.orders.push(order);
    } else {
      const key = JSON.stringify(raw);
      if (rejectedSeen.has(key)) continue;
      rejectedSeen.add(key);
      out.rejected.push(raw);
    }
  }
  return { empty: page.orders.length === 0, out, scrollId: page.scrollId ?? undefined };
}
