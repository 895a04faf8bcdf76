import { randomUUID } from 'node:crypto';

export type ChangeLogKind = 'order' | 'invoice' | 'inventory';

export interface ChangeLogEntry {
  status: 'pending' | 'success' | 'failure';
  /** What the entry is about: a poNumber, invoiceId or sku. */
  key: string;
  results: Array<{ code: string; severity: 'info' | 'warn' | 'error'; description: string }>;
}

export interface ChangeLog {
  requestId: string;
  kind: ChangeLogKind;
  status: 'PROCESSING' | 'COMPLETED';
  logs: ChangeLogEntry[];
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
  open(kind: ChangeLogKind, keys: string[]): ChangeLog;
  /** Runs `work` once the log's processing delay has elapsed in simulated time. */
  schedule(log: ChangeLog, work: () => ChangeLogEntry[]): void;
  get(kind: ChangeLogKind, requestId: string): ChangeLog | undefined;
  processDue(): void;
  all(): ChangeLog[];
  reset(): void;
}

export function makeChangeLogs(now: () => number, delayMs: () => number): ChangeLogs {
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
    open(kind, keys) {
      const log: ChangeLog = {
        requestId: randomUUID(),
        kind,
        status: 'PROCESSING',
        logs: keys.map((key) => ({ status: 'pending', key, results: [] })),
      };
      logs.set(log.requestId, log);
      return log;
    },
    schedule(log, work) {
      queue.push({
        dueAtMs: now() + delayMs(),
        run: () => {
          log.logs = work();
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
