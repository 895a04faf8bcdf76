import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '@dlsync/logger';
import { makeSilentLogger } from '@dlsync/logger';
import { sleep } from '@dlsync/remote';
import type { AuthClient } from './auth.js';
import { LingxingApiError } from './errors.js';
import type { TokenData } from './schemas.js';

// Deletes the lock only if we still own it, so a holder whose lease ran out cannot free a
// lock that a later process now holds.
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export interface TokenManagerOptions {
  redis: Redis;
  /** Prefix of the token and lock keys, e.g. `${redisPrefix}lingxing:`. */
  keyPrefix: string;
  appId: string;
  auth: AuthClient;
  /** Epoch milliseconds; decides when a token counts as expiring. (Default: Date.now) */
  clock?: () => number;
  /** Renew a token that has less than this left. (Default: 300000) */
  refreshAheadMs?: number;
  /** Lock lease; must outlast a refresh plus a fallback issue. (Default: 65000) */
  lockTtlMs?: number;
  /** Pause between looks while another process holds the lock. (Default: 50) */
  pollMs?: number;
  logger?: Logger;
}

export interface TokenManager {
  /** A token with more than `refreshAheadMs` left, renewing it first if needed. */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * Lingxing rejected `token` (2001003/2001005). Renews it unless the shared token has already
   * moved on, so any number of concurrent failures cause one renewal. Returns the token to use.
   */
  invalidate(token: string, signal?: AbortSignal): Promise<string>;
}

interface StoredToken {
  access_token: string;
  refresh_token: string;
  /** Epoch ms by the manager's clock. */
  expires_at: number;
}

/**
 * One access token per appId, shared by every process through Redis. Lingxing invalidates
 * the previous token whenever a new one is issued, so renewal is single-flight: in-process
 * by promise sharing, across processes by a Redis lock (SET NX PX, compare-and-delete);
 * processes that lose the race wait for the lock and re-read the shared token.
 */
export function makeTokenManager(options: TokenManagerOptions): TokenManager {
  const { redis, auth } = options;
  const clock = options.clock ?? Date.now;
  const refreshAheadMs = options.refreshAheadMs ?? 300_000;
  const lockTtlMs = options.lockTtlMs ?? 65_000;
  const pollMs = options.pollMs ?? 50;
  const logger = options.logger ?? makeSilentLogger();
  const tokenKey = `${options.keyPrefix}token:${options.appId}`;
  const lockKey = `${options.keyPrefix}token-lock:${options.appId}`;
  // Renewals in flight in this process, by the token they replace ('' = none stored).
  const renewals = new Map<string, Promise<string>>();

  async function read(): Promise<StoredToken | undefined> {
    const raw = await redis.get(tokenKey);
    if (raw === null) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredToken>;
      if (typeof parsed.access_token === 'string' && typeof parsed.expires_at === 'number') {
        return { access_token: parsed.access_token, refresh_token: parsed.refresh_token ?? '', expires_at: parsed.expires_at };
      }
    } catch {
      // A corrupt entry is treated as absent and overwritten by the next renewal.
    }
    return undefined;
  }

  /** The stored token, if it is not `stale` and has enough time left. */
  function usable(stored: StoredToken | undefined, stale: string | undefined): string | undefined {
    if (stored === undefined || stored.access_token === stale || stored.expires_at - clock() <= refreshAheadMs) return undefined;
    return stored.access_token;
  }

  async function obtain(current: StoredToken | undefined): Promise<TokenData> {
    if (current?.refresh_token) {
      try {
        const refreshed = await auth.refresh(current.refresh_token);
        logger.info('lingxing token refreshed', { appId: options.appId });
        return refreshed;
      } catch (err) {
        // 2001008/2001009 (or any other definitive refusal): the refresh token is spent; start over.
        if (!(err instanceof LingxingApiError) || err.retryable) throw err;
        logger.warn('lingxing refresh token refused, issuing a new token', { appId: options.appId, code: err.code });
      }
    }
    const issued = await auth.issue();
    logger.info('lingxing token issued', { appId: options.appId });
    return issued;
  }

  async function store(data: TokenData): Promise<void> {
    const ttlMs = Math.max(1_000, Math.round(data.expires_in * 1000));
    const value: StoredToken = {
      access_token: data.access_token,
      refresh_token: data.refresh_token,
      expires_at: clock() + ttlMs,
    };
    await redis.set(tokenKey, JSON.stringify(value), 'PX', ttlMs);
  }

  async function renewShared(stale: string | undefined): Promise<string> {
    const lockId = randomUUID();
    for (;;) {
      const current = usable(await read(), stale);
      if (current !== undefined) return current;
      if ((await redis.set(lockKey, lockId, 'PX', lockTtlMs, 'NX')) === 'OK') {
        try {
          // Someone may have renewed between our read and taking the lock.
          const stored = await read();
          const again = usable(stored, stale);
          if (again !== undefined) return again;
          const fresh = await obtain(stored);
          await store(fresh);
          return fresh.access_token;
        } finally {
          await redis.eval(RELEASE_LOCK, 1, lockKey, lockId).catch(() => undefined);
        }
      }
      await sleep(pollMs);
    }
  }

  function renew(stale: string | undefined, signal?: AbortSignal): Promise<string> {
    const key = stale ?? '';
    let pending = renewals.get(key);
    if (!pending) {
      // Shared by every caller in this process, so it is not tied to any one caller's signal.
      pending = renewShared(stale).finally(() => renewals.delete(key));
      renewals.set(key, pending);
    }
    return abortable(pending, signal);
  }

  return {
    async getToken(signal) {
      signal?.throwIfAborted();
      const stored = await read();
      return usable(stored, undefined) ?? renew(stored?.access_token, signal);
    },
    invalidate(token, signal) {
      logger.info('lingxing token rejected, renewing', { appId: options.appId });
      return renew(token, signal);
    },
  };
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
