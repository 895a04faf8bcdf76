import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { safeEqual } from './credentials.js';

export const SESSION_COOKIE = 'dlsync_session';

/** What the server keeps for one signed-in browser. */
export interface SessionRecord {
  user: string;
  /** `UserEntry.fingerprint` at sign-in; a changed credential no longer matches. */
  fingerprint: string;
}

export interface Sessions {
  /** Stores a new session and returns its cookie value, valid until `now + ttlMs`. */
  issue(record: SessionRecord, now: Date): Promise<string>;
  /** The record of a cookie value that is signed, unexpired and not revoked; undefined otherwise. */
  verify(value: string, now: Date): Promise<SessionRecord | undefined>;
  /** Ends the session of a cookie value (logout); a forged or unknown value is ignored. */
  revoke(value: string): Promise<void>;
  readonly ttlMs: number;
}

export interface MakeSessionsOptions {
  redis: Redis;
  /** Redis key prefix, e.g. `dlsync:admin:session:`. */
  keyPrefix: string;
  /** HMAC key of the cookie; replicas that share it share logins. (Default: random per process) */
  secret?: Buffer;
  ttlMs: number;
}

/**
 * Server-side sessions: the cookie is `<id>.<expiresAtMs>.<hmac>` and Redis holds the record
 * under the id until it expires. The signature turns away forged or guessed ids without a
 * Redis round trip; the record makes a session revocable (logout deletes it).
 */
export function makeSessions(options: MakeSessionsOptions): Sessions {
  const { redis, keyPrefix, ttlMs } = options;
  const secret = options.secret ?? randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

  /** The session id of a well-signed, unexpired value. */
  function readId(value: string, now?: Date): string | undefined {
    const parts = value.split('.');
    if (parts.length !== 3) return undefined;
    const [id = '', expires = '', mac = ''] = parts;
    if (!/^[\w-]{32}$/.test(id) || !/^\d{1,15}$/.test(expires)) return undefined;
    if (!safeEqual(mac, sign(`${id}.${expires}`))) return undefined;
    if (now && Number(expires) <= now.getTime()) return undefined;
    return id;
  }

  return {
    ttlMs,
    async issue(record, now) {
      const id = randomBytes(24).toString('base64url');
      await redis.set(`${keyPrefix}${id}`, JSON.stringify(record), 'PX', ttlMs);
      const payload = `${id}.${now.getTime() + ttlMs}`;
      return `${payload}.${sign(payload)}`;
    },
    async verify(value, now) {
      const id = readId(value, now);
      if (!id) return undefined;
      const stored = await redis.get(`${keyPrefix}${id}`);
      if (!stored) return undefined;
      const record = JSON.parse(stored) as Partial<SessionRecord>;
      return typeof record.user === 'string' && typeof record.fingerprint === 'string'
        ? { user: record.user, fingerprint: record.fingerprint }
        : undefined;
    },
    async revoke(value) {
      const id = readId(value);
      if (id) await redis.del(`${keyPrefix}${id}`);
    },
  };
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
