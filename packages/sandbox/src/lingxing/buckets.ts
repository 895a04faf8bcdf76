import type { BucketOptions } from '../options.js';

export interface BucketStats {
  capacity: number | null;
  inFlight: number;
  /** Highest number of requests admitted at the same time. */
  maxInFlight: number;
  /** Highest number of requests in flight at the same time counting rejected ones: > capacity means a client overran the limit. */
  maxAttempted: number;
  rejected: number;
}

export type Release = () => void;

/**
 * Lingxing's per-path bucket counting requests in flight: a slot comes back when the response
 * is sent, or after the lease when the response never is.
 */
export interface Buckets {
  /** A release function, or undefined when the bucket is full (answer 3001008). */
  tryAcquire(path: string): Release | undefined;
  snapshot(): Record<string, BucketStats>;
  reset(): void;
}

interface PathState {
  slots: Set<{ acquiredAt: number }>;
  attempting: number;
  stats: BucketStats;
}

export function makeBuckets(options: BucketOptions, wallNow: () => number): Buckets {
  let paths = new Map<string, PathState>();
  const state = (path: string): PathState => {
    let s = paths.get(path);
    if (!s) {
      s = { slots: new Set(), attempting: 0, stats: { capacity: options.capacity[path] ?? null, inFlight: 0, maxInFlight: 0, maxAttempted: 0, rejected: 0 } };
      paths.set(path, s);
    }
    return s;
  };
  return {
    tryAcquire(path) {
      const s = state(path);
      const now = wallNow();
      for (const slot of s.slots) if (now - slot.acquiredAt >= options.leaseMs) s.slots.delete(slot);
      s.stats.maxAttempted = Math.max(s.stats.maxAttempted, s.slots.size + 1);
      const capacity = s.stats.capacity;
      if (capacity !== null && s.slots.size >= capacity) {
        s.stats.rejected += 1;
        return undefined;
      }
      const slot = { acquiredAt: now };
      s.slots.add(slot);
      s.stats.maxInFlight = Math.max(s.stats.maxInFlight, s.slots.size);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.slots.delete(slot);
      };
    },
    snapshot() {
      return Object.fromEntries([...paths].map(([path, s]) => [path, { ...s.stats, inFlight: s.slots.size }]));
    },
    reset() {
      paths = new Map();
    },
  };
}
