import type { Redis } from 'ioredis';
import { sleep } from './sleep.js';

// GCRA per window: each limit keeps a "theoretical arrival time". A call is admitted only if
// every limit admits it, and only then are all TATs advanced, so a denied call costs nothing.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS
local wait = 0
local tats = {}
for i = 1, n do
  local interval = tonumber(ARGV[i * 2 - 1])
  local window = tonumber(ARGV[i * 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local newTat = tat + interval
  local over = newTat - now - window
  if over > wait then wait = over end
  tats[i] = newTat
end
if wait > 0 then return wait end
for i = 1, n do
  redis.call('SET', KEYS[i], tats[i], 'PX', tonumber(ARGV[i * 2]) + 1000)
end
return 0
`;

export interface RateLimit {
  /** Calls allowed per window. */
  max: number;
  /** Window length in ms. */
  perMs: number;
}

export interface RateLimiterOptions {
  /** Redis key prefix of this limiter, already prefixed. */
  key: string;
  limits: RateLimit[];
}

export interface RateLimiter {
  /** Waits until a call is admitted under every limit. */
  take(signal?: AbortSignal): Promise<void>;
}

/** A rate limit shared by every process through Redis (e.g. DSCO's 10 req/s and 500/min). */
export function makeRateLimiter(redis: Redis, options: RateLimiterOptions): RateLimiter {
  const keys = options.limits.map((l) => `${options.key}:${l.max}/${l.perMs}`);
  const args = options.limits.flatMap((l) => [l.perMs / l.max, l.perMs]);
  return {
    async take(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const waitMs = Number(await redis.eval(TAKE, keys.length, ...keys, ...args));
        if (waitMs <= 0) return;
        await sleep(Math.ceil(waitMs), signal);
      }
    },
  };
}
