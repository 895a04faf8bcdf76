import { z } from 'zod';
import type { Logger } from '@dlsync/logger';
import type { RateLimiter } from '@dlsync/remote';
import { DscoApiError, describeDscoDescription } from './errors.js';
import type { DscoTransport } from './transport.js';

/** The three change logs: `/order/log` (acknowledge, shipments), `/invoice/log`, `/inventory/log`. */
export type ChangeLogKind = 'order' | 'invoice' | 'inventory';
export const CHANGE_LOG_KINDS: readonly ChangeLogKind[] = ['order', 'invoice', 'inventory'];

/** The `status` query filter DSCO accepts on every change log. */
export type ChangeLogStatusFilter = 'pending' | 'success' | 'failure' | 'success_or_failure';

/**
 * What to read. DSCO requires either a `requestId` (the 202 answer of an async write) or a
 * `startDate` (inclusive) + `endDate` (exclusive) window; a scroll page ignores both.
 */
export type ChangeLogQuery =
  | { requestId: string; status?: ChangeLogStatusFilter }
  | { startDate: Date; endDate: Date; status?: ChangeLogStatusFilter };

/** One message of an entry's `results` (ApiResponseMessage), its description flattened to text. */
export interface ChangeLogMessage {
  code: string;
  severity?: string;
  description?: string;
}

/** One processed item of an async write, as the change log reports it. */
export interface ChangeLogEntry {
  /** pending | success | failure (any other value DSCO may add is kept as sent). */
  status: string;
  /** The item as DSCO received it: an acknowledge item, ShipmentsForUpdate, Invoice or ItemInventory. */
  payload: unknown;
  /** RFC3339, when DSCO processed the item. */
  dateProcessed?: string;
  /** The API request that carried the item (absent for file and portal changes). */
  requestId?: string;
  /** api | portal | file. */
  requestMethod?: string;
  results: ChangeLogMessage[];
}

export interface ChangeLogRead {
  entries: ChangeLogEntry[];
  /** By requestId only: PROCESSING (not finished; more entries may come) or COMPLETED. */
  requestStatus?: string;
  /** False when the read stopped at `maxPages`: entries not listed may still exist. */
  complete: boolean;
  /** Entries DSCO sent that lacked a status (kept out of `entries`). */
  rejected: number;
  /** The read stopped after the first page because the request was still PROCESSING ({@link ChangeLogReadOptions.stopWhileProcessing}). */
  stoppedWhileProcessing?: boolean;
  /** The read stopped because {@link ChangeLogReadOptions.stopWhen} said so: where a later read continues. */
  resume?: ChangeLogResume;
}

/**
 * Where a read that stopped part-way through its scroll left off: the next page's scrollId,
 * how many entries it (and any read it continued) had read, and the request status they showed.
 * DSCO keeps a scroll page for five minutes after the page before it was read.
 */
export interface ChangeLogResume {
  scrollId: string;
  entriesRead: number;
  requestStatus?: string;
}

export interface ChangeLogReadOptions {
  signal?: AbortSignal;
  /** Pages read before giving up with `complete: false`. (Default: 50) */
  maxPages?: number;
  /**
   * A requestId read whose first page says the request is still PROCESSING stops after that
   * page (`complete: false`). Until DSCO completes a request its entries may still change, so
   * reading every page of a batch it is still applying costs one call per page and settles
   * nothing that the read after completion would not; polls use it, the final read does not.
   * (Default: false)
   */
  stopWhileProcessing?: boolean;
  /**
   * Objects the request carried. DSCO logs one entry per object a request processed, so once a
   * COMPLETED request's read holds this many entries the scroll has nothing left for it, and the
   * empty page that would end the scroll (one call per write, on an endpoint the verdicts wait
   * on) is not read. By requestId only. (Default: read to the empty page)
   */
  expectedEntries?: number;
  /**
   * Continues a read of the same query an earlier one left ({@link ChangeLogRead.resume}) at its
   * next page; its entries count towards `expectedEntries`, and `entries` holds only the ones
   * read now. A page DSCO no longer holds (the scroll expired) starts the query again at its
   * first page, so nothing is skipped.
   */
  resumeFrom?: ChangeLogResume;
  /**
   * Asked before each page after the first this read fetches; true stops the read there
   * (`complete: false`, with `resume`), so a run that has to make way loses no page it read.
   * (Default: never)
   */
  stopWhen?: () => Promise<boolean>;
}

export interface ChangeLogReaderDeps {
  transport: DscoTransport;
  /** The rate limiter of `GET /<kind>/log` (DSCO states no rate for them; dlsync paces its own). */
  limiterOf(kind: ChangeLogKind): RateLimiter | undefined;
  logger: Logger;
  /** Scroll expiries (404 on a scroll page) tolerated in one read before it fails. (Default: 3) */
  maxScrollRestarts?: number;
}

const text = z.string().optional().catch(undefined);

const messageSchema = z.looseObject({
  code: z.string().catch('UNKNOWN'),
  severity: text,
  description: z.unknown().optional(),
});

const entrySchema = z.looseObject({
  payload: z.unknown().optional(),
  dateProcessed: text,
  status: z.string().min(1),
  requestMethod: text,
  requestId: text,
  results: z.array(messageSchema).optional().catch(undefined),
});

/** A page of any change log; entries are judged one by one so one odd entry hides nothing. */
const pageSchema = z.looseObject({
  scrollId: z.string().nullish(),
  status: text,
  logs: z.array(z.unknown()),
});

export function changeLogEndpoint(kind: ChangeLogKind): `/${ChangeLogKind}/log` {
  return `/${kind}/log`;
}

/** The first request's query string; throws on a query DSCO would refuse. */
export function changeLogSearchParams(query: ChangeLogQuery): URLSearchParams {
  const params = new URLSearchParams();
  if ('requestId' in query) {
    if (typeof query.requestId !== 'string' || query.requestId.length === 0) throw new TypeError('requestId must be a non-empty string');
    params.set('requestId', query.requestId);
  } else {
    const start = query.startDate.getTime();
    const end = query.endDate.getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError('startDate and endDate must be valid dates');
    if (start >= end) throw new RangeError(`startDate ${query.startDate.toISOString()} must be before endDate ${query.endDate.toISOString()}`);
    params.set('startDate', query.startDate.toISOString());
    params.set('endDate', query.endDate.toISOString());
  }
  if (query.status !== undefined) params.set('status', query.status);
  return params;
}

function toEntry(raw: z.output<typeof entrySchema>): ChangeLogEntry {
  return {
    status: raw.status,
    payload: raw.payload,
    ...(raw.dateProcessed !== undefined && { dateProcessed: raw.dateProcessed }),
    ...(raw.requestId !== undefined && { requestId: raw.requestId }),
    ...(raw.requestMethod !== undefined && { requestMethod: raw.requestMethod }),
    results: (raw.results ?? []).map((m) => {
      const description = describeDscoDescription(m.description);
      return { code: m.code, ...(m.severity !== undefined && { severity: m.severity }), ...(description !== undefined && { description }) };
    }),
  };
}

/**
 * Reads every entry of one change log query, following `scrollId` until an empty page (or a
 * page without a scrollId). DSCO caches scroll pages for five minutes and answers 404 for an
 * expired one; the query is then read again from its first page, because a partial list would
 * make a settled item look pending (or an applied in-doubt write look never sent).
 */
export async function readChangeLog(
  deps: ChangeLogReaderDeps,
  kind: ChangeLogKind,
  query: ChangeLogQuery,
  options: ChangeLogReadOptions = {},
): Promise<ChangeLogRead> {
  const first = changeLogSearchParams(query);
  const endpoint = changeLogEndpoint(kind);
  const maxPages = options.maxPages ?? 50;
  const maxRestarts = deps.maxScrollRestarts ?? 3;
  const limiter = deps.limiterOf(kind);
  let restarts = 0;
  let resumeFrom = options.resumeFrom;
  for (;;) {
    const read: ChangeLogRead = { entries: [], complete: false, rejected: 0, ...(resumeFrom?.requestStatus !== undefined && { requestStatus: resumeFrom.requestStatus }) };
    const before = resumeFrom?.entriesRead ?? 0;
    let scrollId = resumeFrom?.scrollId;
    let expired = false;
    let lastFailure: DscoApiError | undefined;
    for (let pages = 0; pages < maxPages; pages++) {
      if (pages > 0 && scrollId !== undefined && (await options.stopWhen?.())) {
        read.resume = { scrollId, entriesRead: before + read.entries.length, ...(read.requestStatus !== undefined && { requestStatus: read.requestStatus }) };
        break;
      }
      let page: z.output<typeof pageSchema> | undefined;
      try {
        page = await deps.transport.callUnless(
          {
            method: 'GET',
            endpoint,
            searchParams: scrollId === undefined ? first : new URLSearchParams({ scrollId }),
            ...(limiter && { limiter }),
            ...(options.signal && { signal: options.signal }),
            // DSCO keeps a scroll's place on its side (the scrollId stays the same from page to
            // page): a page whose answer was lost may have moved it on, so asking again could
            // skip that page's entries. A scroll page is therefore repeated only when DSCO surely
            // did not serve it (throttled, never sent); otherwise the query is read again.
            ...(scrollId !== undefined && { idempotent: false }),
          },
          pageSchema,
          // Only a scroll page's 404 means "scroll expired"; on the first page it is an error.
          scrollId === undefined ? [] : [404],
        );
      } catch (err) {
        if (scrollId === undefined || !(err instanceof DscoApiError) || !(err.retryable || err.inDoubt)) throw err;
        lastFailure = err;
      }
      if (page === undefined) {
        expired = true;
        break;
      }
      if (page.status !== undefined) read.requestStatus = page.status;
      for (const raw of page.logs) {
        const parsed = entrySchema.safeParse(raw);
        if (parsed.success) read.entries.push(toEntry(parsed.data));
        else read.rejected++;
      }
      if (options.stopWhileProcessing && scrollId === undefined && page.status === 'PROCESSING' && page.logs.length > 0 && page.scrollId) {
        read.stoppedWhileProcessing = true;
        break;
      }
      if (page.logs.length === 0 || !page.scrollId || holdsEveryEntry(read, before, query, options.expectedEntries)) {
        read.complete = true;
        break;
      }
      scrollId = page.scrollId;
    }
    if (read.rejected > 0) deps.logger.warn('dsco change log entries without a status', { kind, rejected: read.rejected });
    if (!expired) {
      if (!read.complete && !read.stoppedWhileProcessing && !read.resume) deps.logger.warn('dsco change log read stopped at its page limit', { kind, maxPages, entries: read.entries.length });
      return read;
    }
    const why = lastFailure ? `scroll page failed (${lastFailure.code ?? lastFailure.status ?? 'error'})` : 'scroll expired';
    // A continued read whose page expired (or failed) reads the query again from its first page.
    if (resumeFrom !== undefined) {
      resumeFrom = undefined;
      deps.logger.info(`dsco change log ${why} where a read was to continue; reading the query again`, { kind });
      continue;
    }
    restarts++;
    if (restarts > maxRestarts) {
      if (lastFailure) throw lastFailure;
      throw new DscoApiError(`DSCO GET ${endpoint}: scroll expired ${restarts} times; giving up on this read`, {
        method: 'GET',
        endpoint,
        status: 404,
        code: 'SCROLL_EXPIRED',
        retryable: true,
      });
    }
    deps.logger.warn(`dsco change log ${why}, reading the query again`, { kind, restarts });
  }
}

/** Whether a requestId read (with `before` entries read by the read it continues) holds an entry for every object of a request DSCO completed. */
function holdsEveryEntry(read: ChangeLogRead, before: number, query: ChangeLogQuery, expected: number | undefined): boolean {
  return expected !== undefined && expected > 0 && 'requestId' in query && read.requestStatus === 'COMPLETED' && before + read.entries.length >= expected;
}

/** What a change log entry's payload is about, read from the shapes the API reference gives. */
export interface ChangeLogSubject {
  /** acknowledge: `{id, type, supplierOrderNumber}`; shipment: ShipmentsForUpdate; invoice; inventory. */
  shape: 'acknowledge' | 'shipment' | 'cancel' | 'order' | 'invoice' | 'inventory' | 'unknown';
  poNumber?: string;
  invoiceId?: string;
  sku?: string;
  /** Shipment entries: the tracking numbers the payload carried. */
  trackingNumbers?: string[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The subject of an entry of change log `kind`. The order log mixes orders, acknowledgements,
 * cancellations and shipments: an acknowledgement's payload is `{id, type}` (its id is a PO
 * only with type PO_NUMBER), a cancellation has `lineItems` beside them, a shipment carries
 * `shipments`, anything else is an order.
 */
export function changeLogSubject(kind: ChangeLogKind, payload: unknown): ChangeLogSubject {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { shape: 'unknown' };
  const p = payload as Record<string, unknown>;
  if (kind === 'invoice') return { shape: 'invoice', ...opt('invoiceId', str(p.invoiceId)), ...opt('poNumber', str(p.poNumber)) };
  if (kind === 'inventory') return { shape: 'inventory', ...opt('sku', str(p.sku)) };
  if (Array.isArray(p.shipments)) {
    const trackingNumbers = p.shipments.map((s) => str((s as Record<string, unknown> | null)?.trackingNumber)).filter((t): t is string => t !== undefined);
    return { shape: 'shipment', ...opt('poNumber', str(p.poNumber)), trackingNumbers };
  }
  if (str(p.id) !== undefined && str(p.type) !== undefined) {
    const po = p.type === 'PO_NUMBER' ? str(p.id) : undefined;
    return { shape: Array.isArray(p.lineItems) ? 'cancel' : 'acknowledge', ...opt('poNumber', po) };
  }
  return { shape: 'order', ...opt('poNumber', str(p.poNumber)) };
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
