import type { DscoRateLimitOptions } from '../options.js';

/** Sliding-window limiter per endpoint; returns the seconds to wait, or 0 when the request may pass. */
export interface DscoRateLimiter {
  /** `endpoint` is `METHOD /path`; endpoints with no stated limit always pass. */
  check(endpoint: string): number;
  reset(): void;
}

/** Calls per second and per minute one endpoint admits. */
export interface EndpointRate {
  perSecond: number;
  perMinute: number;
}

/**
 * The limits DSCO's v3 reference states for the endpoints dlsync calls ("You can call this API
 * N times per second, or up to M times per minute"). Written here from the reference on its
 * own, not imported from the client: the sandbox is the reference's stand-in, so a wrong
 * table in the client shows up as 429s here. Endpoints the reference gives no rate (the async
 * small-batch writes, the change logs, the token endpoint) are not limited.
 */
export const DSCO_STATED_RATES: Readonly<Record<string, EndpointRate>> = {
  'GET /order/page': { perSecond: 10, perMinute: 500 },
  'GET /order/': { perSecond: 10, perMinute: 500 },
  'POST /order/acknowledge': { perSecond: 15, perMinute: 1000 },
  'GET /invoice': { perSecond: 15, perMinute: 1000 },
  'POST /order/singleShipment': { perSecond: 15, perMinute: 300 },
  'GET /inventory': { perSecond: 15, perMinute: 300 },
};

interface Window {
  limit: number;
  spanMs: number;
  hits: number[];
}

function admit(windows: Window[], now: number): number {
  let waitMs = 0;
  for (const window of windows) {
    while (window.hits.length > 0 && (window.hits[0] as number) <= now - window.spanMs) window.hits.shift();
    if (window.hits.length >= window.limit) waitMs = Math.max(waitMs, (window.hits[0] as number) + window.spanMs - now);
  }
  if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
  for (const window of windows) window.hits.push(now);
  return 0;
}

export function makeDscoRateLimiter(options: DscoRateLimitOptions, wallNow: () => number): DscoRateLimiter {
  let windows = new Map<string, Window[]>();
  const rates = { ...DSCO_STATED_RATES, ...options.endpoints };
  const windowsOf = (endpoint: string): Window[] | undefined => {
    const rate = rates[endpoint];
    if (!rate) return undefined;
    let list = windows.get(endpoint);
    if (!list) {
      list = [
        { limit: rate.perSecond, spanMs: 1000, hits: [] },
        { limit: rate.perMinute, spanMs: 60_000, hits: [] },
      ];
      windows.set(endpoint, list);
    }
    return list;
  };
  return {
    check(endpoint) {
      if (!options.enabled) return 0;
      const list = windowsOf(endpoint);
      return list ? admit(list, wallNow()) : 0;
    },
    reset() {
      windows = new Map();
    },
  };
}
