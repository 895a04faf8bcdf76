import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sleep } from './sleep.js';

// A sliding log per window: timestamps of admitted calls in a sorted set. Stricter than a token
// bucket (which lets `max + 1` through in the first window), so a server counting requests in a
// sliding window never sees the limit exceeded. A call is admitted only if every window admits
// it, and only then is it recorded in all of them, so a denied call costs nothing.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i = 1, #KEYS do
  local max = tonumber(ARGV[i * 2 - 1])
  local window = tonumber(ARGV[i * 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= max then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now + 1
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[#ARGV])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i * 2]) + 1000)
end
return 0
`;

export interface RateLimit {
  /** Calls allowed per window. */
  max: number;
  /** Window length in ms. */
  perMs: number;
}

/** Limits kept under one Redis key prefix (one budget, e.g. one DSCO endpoint). */
export interface RateLimitScope {
  /** Redis key prefix of this budget, already prefixed. */
  key: string;
  limits: RateLimit[];
}

export interface RateLimiterOptions {
  /** Redis key prefix of this limiter, already prefixed. */
  key: string;
  limits: RateLimit[];
  /**
   * Further budgets a call must also fit, checked and recorded in the same atomic step (e.g. an
   * account-wide cap shared by every endpoint's limiter). (Default: none)
   */
  alsoWithin?: RateLimitScope[];
  /**
   * Added to every window. A call is admitted here a little before it reaches the server, and
   * that gap varies (a busy event loop); without slack the server can count one call too many
   * in its window and answer 429, which costs a whole Retry-After. (Default: 0)
   */
  marginMs?: number;
}

export interface RateLimiter {
  /** Waits until a call is admitted under every limit. */
  take(signal?: AbortSignal): Promise<void>;
}

/** A rate limit shared by every process through Redis (e.g. DSCO's 10 req/s and 500/min). */
export function makeRateLimiter(redis: Redis, options: RateLimiterOptions): RateLimiter {
  const scopes: RateLimitScope[] = [{ key: options.key, limits: options.limits }, ...(options.alsoWithin ?? [])];
  const windows = scopes.flatMap((scope) => scope.limits.map((l) => ({ key: `${scope.key}:${l.max}/${l.perMs}`, ...l })));
  const keys = windows.map((w) => w.key);
  const args = windows.flatMap((w) => [w.max, w.perMs + (options.marginMs ?? 0)]);
  return {
    async take(signal) {
      if (keys.length === 0) return;
      for (;;) {
        signal?.throwIfAborted();
        const waitMs = Number(await redis.eval(TAKE, keys.length, ...keys, ...args, randomUUID()));
        if (waitMs <= 0) return;
        await sleep(Math.ceil(waitMs), signal);
      }
    },
  };
}
