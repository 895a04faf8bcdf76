/**
 * The sandbox has two clocks. Wall time is real time: the remote services check sign
 * timestamps and `until` against it. Simulated time is wall time plus an offset that only
 * grows; it drives fulfilment, token expiry and scroll expiry, so tests can skip hours.
 */
export interface SimClock {
  /** Real time in epoch milliseconds. */
  wallNow(): number;
  /** Simulated time in epoch milliseconds. */
  now(): number;
  /** Moves simulated time forward by `ms` (negative values are refused). */
  advance(ms: number): void;
  /** Current simulated − wall offset in milliseconds. */
  offsetMs(): number;
  /** Called after every advance (the world uses it to run due work). */
  onAdvance(listener: () => void): void;
  reset(): void;
}

export function makeSimClock(wallNow: () => number = Date.now): SimClock {
  let offset = 0;
  const listeners: Array<() => void> = [];
  return {
    wallNow,
    now: () => wallNow() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock.advance needs a finite, non-negative duration');
      offset += ms;
      for (const listener of listeners) listener();
    },
    offsetMs: () => offset,
    onAdvance: (listener) => void listeners.push(listener),
    reset() {
      offset = 0;
    },
  };
}
