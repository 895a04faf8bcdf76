export type WriteResult = 'pending' | 'success' | 'failure';

export interface LingxingCreateWrite {
  at: string;
  atMs: number;
  storeId: string;
  platformOrderNo: string;
  result: 'success' | 'error';
  globalOrderNos: string[];
  errorMessage?: string;
}

/** One order of a cancelOrder call ("do not ship"). */
export interface LingxingCancelWrite {
  at: string;
  globalOrderNo: string;
  result: 'success' | 'error';
  errorMessage?: string;
}

export interface DscoAckWrite {
  at: string;
  requestId: string;
  poNumber: string;
  /** What the acknowledge stored on the order (dlsync: the Lingxing global order number). */
  supplierOrderNumber?: string;
  result: WriteResult;
  description?: string;
}

export interface DscoShipmentWrite {
  at: string;
  requestId: string;
  poNumber: string;
  trackingNumber: string;
  shipDate?: string;
  lineItems: unknown[];
  result: WriteResult;
  description?: string;
}

export interface DscoInvoiceWrite {
  at: string;
  requestId: string;
  invoiceId: string;
  poNumber: string;
  totalAmount: number;
  invoiceDate?: string;
  lineItems: unknown[];
  result: WriteResult;
  description?: string;
}

export interface DscoInventoryWrite {
  at: string;
  requestId: string;
  skipItemsThatDontExist: boolean;
  items: unknown[];
  result: WriteResult;
}

export interface TokenWrite {
  at: string;
  side: 'dsco' | 'lingxing';
  kind: 'oauth' | 'issue' | 'refresh' | 'revoke';
}

/** Every write the fake services ever received, in arrival order. */
export interface Writes {
  lingxingCreates: LingxingCreateWrite[];
  lingxingCancels: LingxingCancelWrite[];
  dscoAcks: DscoAckWrite[];
  dscoShipments: DscoShipmentWrite[];
  dscoInvoices: DscoInvoiceWrite[];
  dscoInventory: DscoInventoryWrite[];
  tokens: TokenWrite[];
}

export interface EndpointStats {
  calls: number;
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  /** Lingxing business/gateway codes other than success. */
  codes: Record<string, number>;
  /** Faults injected per kind. */
  faults: Record<string, number>;
}

/**
 * A request that broke the published contract (wrong type, unknown field, over a limit, out of
 * window) — whether or not the real API would have refused it. Tests assert this list is empty,
 * so a client drifting from the references fails loudly even where the sandbox stays lenient.
 */
export interface Violation {
  at: string;
  side: 'dsco' | 'lingxing';
  /** `METHOD /path` as received. */
  endpoint: string;
  /** What was wrong, e.g. `orders.0.store_id: expected string, received number`. */
  problem: string;
  /** Whether the sandbox refused the request (as the real API would) or only recorded it. */
  refused: boolean;
}

export interface Recorder {
  writes: Writes;
  violations: Violation[];
  /** Records a contract violation. */
  violation(entry: Omit<Violation, 'at'>): void;
  /** Returns the violations recorded so far and forgets them (for a test that breaks the contract on purpose). */
  takeViolations(): Violation[];
  stats: Map<string, EndpointStats>;
  nowIso(): string;
  endpoint(key: string): EndpointStats;
  countFault(key: string, kind: string): void;
  countCode(key: string, code: string): void;
  reset(): void;
}

export function makeWrites(): Writes {
  return { lingxingCreates: [], lingxingCancels: [], dscoAcks: [], dscoShipments: [], dscoInvoices: [], dscoInventory: [], tokens: [] };
}

export function makeRecorder(now: () => number): Recorder {
  const recorder: Recorder = {
    writes: makeWrites(),
    violations: [],
    stats: new Map(),
    nowIso: () => new Date(now()).toISOString(),
    endpoint(key) {
      let stats = recorder.stats.get(key);
      if (!stats) {
        stats = { calls: 0, statuses: {}, codes: {}, faults: {} };
        recorder.stats.set(key, stats);
      }
      return stats;
    },
    violation(entry) {
      recorder.violations.push({ at: recorder.nowIso(), ...entry });
    },
    takeViolations() {
      return recorder.violations.splice(0, recorder.violations.length);
    },
    countFault(key, kind) {
      const faults = recorder.endpoint(key).faults;
      faults[kind] = (faults[kind] ?? 0) + 1;
    },
    countCode(key, code) {
      const codes = recorder.endpoint(key).codes;
      codes[code] = (codes[code] ?? 0) + 1;
    },
    reset() {
      recorder.writes = makeWrites();
      recorder.violations = [];
      recorder.stats.clear();
    },
  };
  return recorder;
}
