/** One finished remote call attempt, for metrics, demo summaries and benchmarks. */
export interface RemoteCallEvent {
  service: 'dsco' | 'lingxing';
  /** Path template, e.g. `/order/page` or `/pb/mp/order/v2/create`. */
  endpoint: string;
  outcome: 'ok' | 'error';
  /** HTTP status or API error code when the call failed. */
  code?: string | number;
  durationMs: number;
  attempt: number;
}

export type CallObserver = (event: RemoteCallEvent) => void;

/** Counts calls per `service endpoint`; handy for summaries and tests. */
export function makeCallCounter(): { observe: CallObserver; counts: () => Record<string, { ok: number; error: number }> } {
  const map = new Map<string, { ok: number; error: number }>();
  return {
    observe(e) {
      const key = `${e.service} ${e.endpoint}`;
      const c = map.get(key) ?? { ok: 0, error: 0 };
      c[e.outcome]++;
      map.set(key, c);
    },
    counts: () => Object.fromEntries(map),
  };
}
