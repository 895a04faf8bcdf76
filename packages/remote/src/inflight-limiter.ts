import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// A sorted set of lease ids scored by expiry (Redis TIME, so machines need not agree on clocks).
// Expired leases are dropped before counting, which is what frees the slot of a crashed worker.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(first[2]) - now
`;

export interface InflightLimiterOptions {
  /** Redis key of this bucket, already prefixed. */
  key: string;
  /** Slots: calls allowed in flight at once across every process. */
  size: number;
  /** A slot not released within this many ms is reclaimed. (Default: 120000) */
  leaseMs?: number;
  /** Longest pause between tries while the bucket is full. (Default: 20) */
  pollMs?: number;
}

export interface InflightLimiter {
  /** Waits for a slot; the returned function releases it (idempotent). */
  acquire(signal?: AbortSignal): Promise<() => Promise<void>>;
  /** Runs `fn` holding a slot. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Slots currently held (for metrics). */
  inUse(): Promise<number>;
}

/** Counts calls in flight per endpoint across all processes, like Lingxing's token buckets. */
export function makeInflightLimiter(redis: Redis, options: InflightLimiterOptions): InflightLimiter {
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 20;
  // Waiters in this process wake as soon as a local release happens instead of polling blindly.
  const localWaiters = new Set<() => void>();
  const wakeOne = (): void => {
    const first = localWaiters.values().next();
    if (!first.done) {
      localWaiters.delete(first.value);
      first.value();
    }
  };

  async function acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    const id = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = Number(await redis.eval(ACQUIRE, 1, options.key, options.size, leaseMs, id));
      if (waitMs < 0) break;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          localWaiters.delete(wake);
          resolve();
        }, Math.max(1, Math.min(pollMs, waitMs)));
        localWaiters.add(wake);
      });
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await redis.zrem(options.key, id);
      wakeOne();
    };
  }

  return {
    acquire,
    async run(fn, signal) {
      const release = await acquire(signal);
      try {
        return await fn();
      } finally {
        await release().catch(() => undefined);
      }
    },
    async inUse() {
      const now = Date.now();
      return redis.zcount(options.key, now, '+inf');
    },
  };
}

