import { randomUUID } from 'node:crypto';
import type { ChangeLogEntry, ChangeLogKind, ChangeLogQuery, ChangeLogRead } from '@dlsync/dsco';

/** DSCO's verdict on one item when it applies a request. */
export type Verdict = { status: 'success' } | { status: 'failure'; code: string; description: string };

interface Received {
  requestId: string;
  log: ChangeLogKind;
  receivedAtMs: number;
  entries: ChangeLogEntry[];
  applied: boolean;
}

/**
 * DSCO's asynchronous side as the engine tests need it, scripted: a request is received
 * (entries pending, listed under its requestId and its receive time), then applied when the
 * test says so, each item judged by `verdict`. Change-log reads answer from that record, by
 * requestId or by [startDate, endDate) of the receive time, as the API reference describes.
 */
export interface ScriptedAsyncDsco {
  receive(log: ChangeLogKind, payloads: readonly unknown[]): string;
  applyAll(): void;
  readLog(kind: ChangeLogKind, query: ChangeLogQuery): Promise<ChangeLogRead>;
  /** Items received per payload JSON: what "sent once" is checked against. */
  receivedPayloads(): unknown[];
  reads: ChangeLogQuery[];
  verdict: (payload: unknown) => Verdict;
}

export function makeScriptedAsyncDsco(nowMs: () => number): ScriptedAsyncDsco {
  const received: Received[] = [];
  const dsco: ScriptedAsyncDsco = {
    verdict: () => ({ status: 'success' }),
    reads: [],
    receive(log, payloads) {
      const requestId = randomUUID();
      const at = new Date(nowMs()).toISOString();
      received.push({
        requestId,
        log,
        receivedAtMs: nowMs(),
        applied: false,
        entries: payloads.map((payload) => ({ status: 'pending', payload, dateProcessed: at, requestId, requestMethod: 'api', results: [] })),
      });
      return requestId;
    },
    applyAll() {
      for (const r of received.filter((x) => !x.applied)) {
        r.applied = true;
        for (const entry of r.entries) {
          const v = dsco.verdict(entry.payload);
          entry.status = v.status;
          entry.results = v.status === 'failure' ? [{ code: v.code, severity: 'error', description: v.description }] : [{ code: 'SUCCESS', severity: 'info' }];
        }
      }
    },
    async readLog(kind, query) {
      dsco.reads.push(query);
      const mine = received.filter((r) => r.log === kind);
      if ('requestId' in query) {
        const r = mine.find((x) => x.requestId === query.requestId);
        return { entries: r ? structuredClone(r.entries) : [], ...(r && { requestStatus: r.applied ? 'COMPLETED' : 'PROCESSING' }), complete: true, rejected: 0 };
      }
      const inWindow = mine.filter((r) => r.receivedAtMs >= query.startDate.getTime() && r.receivedAtMs < query.endDate.getTime());
      return { entries: structuredClone(inWindow.flatMap((r) => r.entries)), complete: true, rejected: 0 };
    },
    receivedPayloads: () => received.flatMap((r) => r.entries.map((e) => e.payload)),
  };
  return dsco;
}
