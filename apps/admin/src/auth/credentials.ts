import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: string, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// Node's defaults (N=2^14, r=8, p=1): ~50 ms and 16 MiB per check, fine for an admin page.
const SCRYPT_OPTIONS: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/**
 * Hashes a password for `auth.admin.users`: `scrypt$<salt>$<hash>` (base64url salt and key).
 * The value is safe to put in env.yaml; the password is not recoverable from it.
 */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new RangeError('password must not be empty');
  const salt = randomBytes(16).toString('base64url');
  const key = await scrypt(password, salt, KEY_LENGTH, SCRYPT_OPTIONS);
  return `scrypt$${salt}$${key.toString('base64url')}`;
}

/** Compares equal-length digests so neither the content nor the length of a secret leaks through timing. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** A configured credential, parsed once at server start. */
export type StoredCredential =
  | { kind: 'scrypt'; salt: string; key: Buffer }
  | { kind: 'token'; token: string };

/**
 * Parses one `auth.admin.users` value. Throws (naming the user, never the value) when it is
 * neither `scrypt$<salt>$<hash>` nor `token:<token>`.
 */
export function parseStoredCredential(user: string, value: string): StoredCredential {
  if (value.startsWith('token:')) {
    const token = value.slice('token:'.length);
    if (token.length < 16) throw new Error(`auth.admin.users.${user}: token must be at least 16 characters`);
    return { kind: 'token', token };
  }
  const parts = value.split('$');
  if (parts.length === 3 && parts[0] === 'scrypt' && parts[1] && parts[2]) {
    const key = Buffer.from(parts[2], 'base64url');
    if (key.length >= 16) return { kind: 'scrypt', salt: parts[1], key };
  }
  throw new Error(`auth.admin.users.${user}: must be scrypt$<salt>$<hash> or token:<token>`);
}

/** True when `password` matches a scrypt credential (always false for a token credential). */
export async function verifyPassword(stored: StoredCredential, password: string): Promise<boolean> {
  if (stored.kind !== 'scrypt') return false;
  const key = await scrypt(password, stored.salt, stored.key.length, SCRYPT_OPTIONS);
  return safeEqual(key, stored.key);
}

/** True when `token` matches a token credential (always false for a password credential). */
export function verifyToken(stored: StoredCredential, token: string): boolean {
  return stored.kind === 'token' && safeEqual(token, stored.token);
}

/** What a user may do: `viewer` reads everything and changes nothing; `inventory` calls only the inventory API. */
export type Role = 'admin' | 'viewer' | 'inventory';

/** One `auth.admin.users` entry as the server uses it. */
export interface UserEntry {
  credential: StoredCredential;
  role: Role;
  /**
   * Digest of the configured entry: a session remembers it, so changing the user's credential
   * or role ends every session the old one opened.
   */
  fingerprint: string;
}

/** The configured value: the short string form, or the object form naming the role. */
export type ConfiguredUser = string | { password_hash?: string | undefined; token?: string | undefined; role: Role };

/** Parses one `auth.admin.users` entry (either form); throws naming the user, never the value. */
export function parseUserEntry(user: string, value: ConfiguredUser): UserEntry {
  const text = typeof value === 'string' ? value : value.token !== undefined ? `token:${value.token}` : (value.password_hash ?? '');
  const role = typeof value === 'string' ? 'admin' : value.role;
  const fingerprint = createHash('sha256').update(`${user}\0${role}\0${text}`).digest('base64url');
  return { credential: parseStoredCredential(user, text), role, fingerprint };
}
