import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './credentials.js';

export const SESSION_COOKIE = 'dlsync_session';

export interface SessionCodec {
  /** Cookie value for `user`, valid until `now + ttlMs`. */
  issue(user: string, now: Date): string;
  /** The user of a valid, unexpired cookie value; undefined otherwise. */
  verify(value: string, now: Date): string | undefined;
  readonly ttlMs: number;
}

/**
 * Stateless sessions: `<user>.<expiresAtMs>.<hmac>`, HMAC-SHA256 under a key that by default
 * lives only in this process, so a restart logs everyone out and nothing needs storing.
 */
export function makeSessionCodec(options: { secret?: Buffer; ttlMs: number }): SessionCodec {
  const secret = options.secret ?? randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    ttlMs: options.ttlMs,
    issue(user, now) {
      const payload = `${Buffer.from(user).toString('base64url')}.${now.getTime() + options.ttlMs}`;
      return `${payload}.${sign(payload)}`;
    },
    verify(value, now) {
      const parts = value.split('.');
      if (parts.length !== 3) return undefined;
      const [user = '', expires = '', mac = ''] = parts;
      const payload = `${user}.${expires}`;
      if (!safeEqual(mac, sign(payload))) return undefined;
      if (!/^\d+$/.test(expires) || Number(expires) <= now.getTime()) return undefined;
      return Buffer.from(user, 'base64url').toString();
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
