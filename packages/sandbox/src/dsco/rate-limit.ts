import type { DscoRateLimitOptions } from '../options.js';

/** Sliding-window limiter; returns the seconds to wait, or 0 when the request may pass. */
export interface DscoRateLimiter {
  check(isAcknowledge: boolean): number;
  reset(): void;
}

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
  let general: Window[] = [];
  let acknowledge: Window[] = [];
  const init = (): void => {
    general = [
      { limit: options.perSecond, spanMs: 1000, hits: [] },
      { limit: options.perMinute, spanMs: 60_000, hits: [] },
    ];
    acknowledge = [{ limit: options.acknowledgePerSecond, spanMs: 1000, hits: [] }];
  };
  init();
  return {
    check(isAcknowledge) {
      if (!options.enabled) return 0;
      return admit(isAcknowledge ? acknowledge : general, wallNow());
    },
    reset: init,
  };
}
