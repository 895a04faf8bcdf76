/** Thrown when every slot is taken and the waiting line is full. */
export class BusyError extends Error {
  override name = 'BusyError';
}

export interface ConcurrencyLimit {
  /** Runs `fn` once a slot is free; throws BusyError at once when `maxWaiting` already wait. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** How many run right now (for tests and metrics). */
  readonly active: number;
}

/**
 * At most `max` calls at once, at most `maxWaiting` queued behind them. Password checks run
 * scrypt on libuv's small thread pool (4 threads by default, shared with file and DNS work), so
 * a flood must wait or be turned away instead of occupying every thread.
 */
export function makeConcurrencyLimit(max: number, maxWaiting: number): ConcurrencyLimit {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return {
    get active() {
      return active;
    },
    async run(fn) {
      if (active >= max) {
        if (waiting.length >= maxWaiting) throw new BusyError('too many checks in progress');
        // The slot is handed over by release(), so `active` stays counted for the waiter.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active += 1;
      }
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
