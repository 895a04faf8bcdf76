import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { BusyError, makeConcurrencyLimit } from './concurrency-limit.js';

/** A sign-in refused before its password was checked; answer 429 with `Retry-After`. */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many sign-in attempts; retry in ${retryAfterSeconds} s`);
  }
}

export interface LoginThrottleOptions {
  redis: Redis;
  /** Redis key prefix of the counters, e.g. `dlsync:admin:login-failures:`. */
  keyPrefix: string;
  failuresPerUser: number;
  failuresPerAddress: number;
  windowSeconds: number;
  /** Password checks at once in this process. */
  concurrentChecks: number;
}

export interface LoginThrottle {
  /**
   * Runs `check` (a password verification) for `user` from `request.ip` unless either has used
   * up its failures for the window, and counts a failure against both when `check` says no.
   * Throws ThrottledError instead of checking.
   */
  attempt<T>(request: FastifyRequest, user: string, check: () => Promise<T | undefined>): Promise<T | undefined>;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** How many queue behind the running checks before the rest are turned away at once. */
const WAITING_PER_SLOT = 8;

/**
 * Counts failed sign-ins per user name and per client address in Redis through
 * @fastify/rate-limit, so every admin replica sees the same counts. Only failures count: an
 * API client using Basic for every request is never throttled for succeeding. The counters are
 * read before scrypt runs (a throttled guess costs one Redis read) and the read happens inside
 * the concurrency limit, so a parallel burst cannot all pass the read before any failure lands.
 * When Redis does not answer the counters are skipped (sign-in keeps working, /readyz says why)
 * and the concurrency limit alone bounds the cost.
 */
export function installLoginThrottle(app: FastifyInstance, options: LoginThrottleOptions): LoginThrottle {
  app.register(rateLimit, { global: false, redis: options.redis, nameSpace: options.keyPrefix, skipOnError: true });
  const userOf = new WeakMap<FastifyRequest, string>();
  const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
  const timeWindow = options.windowSeconds * 1000;
  let limiters: { user: Limiter; address: Limiter } | undefined;
  // The plugin's decorator exists once the app has loaded its plugins, i.e. by the first request.
  const getLimiters = () =>
    (limiters ??= {
      user: app.createRateLimit({ max: options.failuresPerUser, timeWindow, keyGenerator: (r) => `user:${digest(userOf.get(r) ?? '')}` }),
      address: app.createRateLimit({ max: options.failuresPerAddress, timeWindow, keyGenerator: (r) => `address:${r.ip}` }),
    });
  const checks = makeConcurrencyLimit(options.concurrentChecks, options.concurrentChecks * WAITING_PER_SLOT);

  async function assertBudget(request: FastifyRequest): Promise<void> {
    const { user, address } = getLimiters();
    for (const limiter of [user, address]) {
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) throw new ThrottledError(Math.max(1, state.ttlInSeconds));
    }
  }

  return {
    async attempt(request, user, check) {
      userOf.set(request, user);
      try {
        return await checks.run(async () => {
          await assertBudget(request);
          const result = await check();
          if (result === undefined) {
            const { user: byUser, address } = getLimiters();
            await Promise.all([byUser(request), address(request)]);
          }
          return result;
        });
      } catch (err) {
        if (err instanceof BusyError) throw new ThrottledError(1);
        throw err;
      }
    },
  };
}
