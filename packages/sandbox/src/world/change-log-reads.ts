import { randomUUID } from 'node:crypto';

/** The three change logs. */
export type ChangeLogReadKind = 'order' | 'invoice' | 'inventory';

/** One item's entry as the sandbox keeps it. */
export interface StoredLogEntry {
  status: 'pending' | 'success' | 'failure';
  /** The item exactly as the client sent it. */
  payload?: unknown;
  /** Simulated time the item was processed (absent while pending). */
  processedAtMs?: number;
  results: Array<{ code: string; severity: 'info' | 'warn' | 'error'; description: string }>;
}

/** One async request's log as the sandbox keeps it. */
export interface StoredLog {
  requestId: string;
  kind: ChangeLogReadKind;
  status: 'PROCESSING' | 'COMPLETED';
  /** Wall time the request was received: what startDate/endDate select on. */
  receivedAtMs: number;
  logs: StoredLogEntry[];
}

export type ChangeLogStatusFilter = 'pending' | 'success' | 'failure' | 'success_or_failure';

/** A first-page query: by requestId, or by the window [startMs, endMs) of receive times. */
export type ChangeLogReadQuery = ({ requestId: string } | { startMs: number; endMs: number }) & { status?: ChangeLogStatusFilter };

/** An entry on the wire, with the fields the reference's OrderChangeLog/InvoiceChangeLog/InventoryChangeLog require. */
export interface WireLogEntry {
  payload: unknown;
  dateProcessed: string;
  status: StoredLogEntry['status'];
  requestMethod: 'api';
  requestMethodDetail: string;
  requestId: string;
  results: StoredLogEntry['results'];
}

export interface WireLogPage {
  scrollId?: string;
  /** Only for a requestId query, as the reference says. */
  status?: StoredLog['status'];
  logs: WireLogEntry[];
}

export interface ChangeLogReads {
  /** The first page; later pages follow its scrollId. Unknown requestId: an empty page. */
  first(kind: ChangeLogReadKind, query: ChangeLogReadQuery): WireLogPage;
  /** The next page of a scroll, or undefined when it is unknown or expired (DSCO answers 404). */
  next(scrollId: string): WireLogPage | undefined;
  clear(): void;
}

export interface ChangeLogReadsDeps {
  logs: () => Iterable<StoredLog>;
  /** Simulated time, for scroll expiry. */
  now: () => number;
  /** Idle time after which a scroll expires, in simulated ms. */
  scrollTtlMs: number;
  /** Entries per page. */
  pageSize: () => number;
  /** The API name an entry names as its requestMethodDetail. */
  apiName: (kind: ChangeLogReadKind, payload: unknown) => string;
}

const matchesStatus = (status: StoredLogEntry['status'], filter: ChangeLogStatusFilter | undefined): boolean =>
  filter === undefined || (filter === 'success_or_failure' ? status !== 'pending' : status === filter);

interface Scroll {
  entries: WireLogEntry[];
  position: number;
  expiresAtMs: number;
  status?: StoredLog['status'];
}

/**
 * DSCO's change-log reads over the sandbox's stored logs: by requestId or by a window of
 * receive times, filtered by entry status, in pages behind scroll ids that expire after an idle
 * ttl (404). A scroll holds a snapshot taken at its first page, as DSCO caches result pages.
 */
export function makeChangeLogReads(deps: ChangeLogReadsDeps): ChangeLogReads {
  const scrolls = new Map<string, Scroll>();
  const toWire = (kind: ChangeLogReadKind, log: StoredLog, entry: StoredLogEntry): WireLogEntry => ({
    payload: entry.payload ?? null,
    dateProcessed: new Date(entry.processedAtMs ?? log.receivedAtMs).toISOString(),
    status: entry.status,
    requestMethod: 'api',
    requestMethodDetail: deps.apiName(kind, entry.payload),
    requestId: log.requestId,
    results: entry.results.map((r) => ({ ...r })),
  });
  const page = (id: string, scroll: Scroll): WireLogPage => {
    const logs = scroll.entries.slice(scroll.position, scroll.position + Math.max(1, deps.pageSize()));
    scroll.position += logs.length;
    scroll.expiresAtMs = deps.now() + deps.scrollTtlMs;
    if (logs.length === 0) scrolls.delete(id);
    return { ...(logs.length > 0 && { scrollId: id }), ...(scroll.status && { status: scroll.status }), logs };
  };
  return {
    first(kind, query) {
      const current = deps.now();
      for (const [id, s] of scrolls) if (s.expiresAtMs <= current) scrolls.delete(id);
      const selected = [...deps.logs()].filter(
        (log) =>
          log.kind === kind &&
          ('requestId' in query ? log.requestId === query.requestId : log.receivedAtMs >= query.startMs && log.receivedAtMs < query.endMs),
      );
      const entries = selected.flatMap((log) => log.logs.filter((e) => matchesStatus(e.status, query.status)).map((e) => toWire(kind, log, e)));
      const byRequest = 'requestId' in query ? selected[0] : undefined;
      const id = randomUUID();
      const scroll: Scroll = { entries, position: 0, expiresAtMs: current + deps.scrollTtlMs, ...(byRequest && { status: byRequest.status }) };
      scrolls.set(id, scroll);
      return page(id, scroll);
    },
    next(scrollId) {
      const scroll = scrolls.get(scrollId);
      if (!scroll || scroll.expiresAtMs <= deps.now()) {
        scrolls.delete(scrollId);
        return undefined;
      }
      return page(scrollId, scroll);
    },
    clear: () => scrolls.clear(),
  };
}
