import { randomUUID } from 'node:crypto';

export type ChangeLogKind = 'order' | 'invoice' | 'inventory';

export interface ChangeLogEntry {
  status: 'pending' | 'success' | 'failure';
  /** What the entry is about: a poNumber, invoiceId or sku. */
  key: string;
  results: Array<{ code: string; severity: 'info' | 'warn' | 'error'; description: string }>;
  /** The item exactly as the client sent it (the entry's `payload` on the wire). */
  payload?: unknown;
  /** Simulated time the item was processed. */
  processedAtMs?: number;
}

export interface ChangeLog {
  requestId: string;
  kind: ChangeLogKind;
  status: 'PROCESSING' | 'COMPLETED';
  logs: ChangeLogEntry[];
  /** Wall time the request was received: what a startDate/endDate query selects on. */
  receivedAtMs: number;
}

interface PendingJob {
  dueAtMs: number;
  run: () => void;
}

/**
 * DSCO's async batch endpoints: a request gets a requestId, stays PROCESSING for a while and
 * then completes. Work is applied lazily by `processDue` (called on every request and clock
 * advance), so there are no timers and behaviour stays deterministic.
 */
export interface ChangeLogs {
  /** A new PROCESSING log, one pending entry per key carrying `payloads[i]` (the item as sent). */
  open(kind: ChangeLogKind, keys: string[], payloads?: readonly unknown[]): ChangeLog;
  /** Runs `work` once the log's processing delay has elapsed in simulated time. */
  schedule(log: ChangeLog, work: () => ChangeLogEntry[]): void;
  get(kind: ChangeLogKind, requestId: string): ChangeLog | undefined;
  processDue(): void;
  all(): ChangeLog[];
  reset(): void;
}

export function makeChangeLogs(now: () => number, delayMs: () => number, wallNow: () => number = now): ChangeLogs {
  const logs = new Map<string, ChangeLog>();
  let queue: PendingJob[] = [];
  const processDue = (): void => {
    const current = now();
    // Every job gets the same delay, so the queue is ordered by due time.
    let done = 0;
    while (done < queue.length && (queue[done] as PendingJob).dueAtMs <= current) {
      (queue[done] as PendingJob).run();
      done += 1;
    }
    if (done > 0) queue = queue.slice(done);
  };
  return {
    open(kind, keys, payloads) {
      const log: ChangeLog = {
        requestId: randomUUID(),
        kind,
        status: 'PROCESSING',
        logs: keys.map((key, i) => ({ status: 'pending', key, results: [], ...(payloads && { payload: payloads[i] }) })),
        receivedAtMs: wallNow(),
      };
      logs.set(log.requestId, log);
      return log;
    },
    schedule(log, work) {
      queue.push({
        dueAtMs: now() + delayMs(),
        run: () => {
          // Work returns one entry per item, in order; each keeps the item it is about.
          const sent = log.logs;
          const at = now();
          log.logs = work().map((entry, i) => ({ ...entry, payload: entry.payload ?? sent[i]?.payload, processedAtMs: at }));
          log.status = 'COMPLETED';
        },
      });
      if (delayMs() <= 0) processDue();
    },
    get(kind, requestId) {
      const log = logs.get(requestId);
      return log && log.kind === kind ? log : undefined;
    },
    processDue,
    all: () => [...logs.values()],
    reset() {
      logs.clear();
      queue = [];
    },
  };
}
