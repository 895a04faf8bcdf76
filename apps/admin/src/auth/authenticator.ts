import { parseUserEntry, verifyPassword, verifyToken, type ConfiguredUser, type Role, type StoredCredential, type UserEntry } from './credentials.js';
import { readCookie, SESSION_COOKIE, type Sessions } from './session.js';

export interface Principal {
  user: string;
  role: Role;
  via: 'basic' | 'bearer' | 'session';
}

/** The credentials a request carries, read from its headers without checking them. */
export type Presented =
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'session'; cookie: string }
  | { scheme: 'none' };

export interface Authenticator {
  /** Checks a user name and password (Basic or the login form): the principal, or undefined. */
  checkPassword(user: string, password: string, via: 'basic' | 'session'): Promise<Principal | undefined>;
  checkToken(token: string): Principal | undefined;
  /** The principal of a live session cookie whose user still has the credential it signed in with. */
  checkSession(cookie: string, now: Date): Promise<Principal | undefined>;
  /** Starts a session for a user who just proved their password; returns the cookie value. */
  startSession(user: string, now: Date): Promise<string>;
  readonly sessions: Sessions;
}

// Unknown users are checked against this so a wrong user name costs as much as a wrong password.
const DECOY: StoredCredential = { kind: 'scrypt', salt: 'decoy-salt', key: Buffer.alloc(32) };

/** Longer user names or passwords are refused without hashing them (scrypt reads all of it). */
export const MAX_USER_LENGTH = 200;
export const MAX_PASSWORD_LENGTH = 1024;

/** Parses `Basic <base64(user:password)>`; undefined when malformed. */
function parseBasic(value: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** What credentials a request presents: Authorization wins over the session cookie. */
export function readPresented(headers: { authorization?: string | undefined; cookie?: string | undefined }): Presented {
  const authorization = headers.authorization ?? '';
  const space = authorization.indexOf(' ');
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === 'basic') return { scheme: 'basic', ...(parseBasic(value) ?? { user: '', password: '' }) };
  if (scheme === 'bearer' && value) return { scheme: 'bearer', token: value };
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  return cookie ? { scheme: 'session', cookie } : { scheme: 'none' };
}

/**
 * Credentials from `auth.admin.users`, parsed once; a malformed entry throws at start naming
 * the user. Passwords are scrypt hashes (Basic or the login form), tokens go in `Bearer`.
 */
export function makeAuthenticator(users: Record<string, ConfiguredUser>, sessions: Sessions): Authenticator {
  const entries = new Map<string, UserEntry>(Object.entries(users).map(([user, value]) => [user, parseUserEntry(user, value)]));
  const tokens = [...entries].filter(([, e]) => e.credential.kind === 'token');
  const principal = (user: string, via: Principal['via']): Principal => ({ user, role: entries.get(user)!.role, via });

  return {
    sessions,
    async checkPassword(user, password, via) {
      if (!user || !password || user.length > MAX_USER_LENGTH || password.length > MAX_PASSWORD_LENGTH) return undefined;
      const stored = entries.get(user);
      const ok = await verifyPassword(stored?.credential ?? DECOY, password);
      return ok && stored !== undefined ? principal(user, via) : undefined;
    },
    checkToken(token) {
      // Compare against every token so the time taken does not say which (or whether one) matched.
      let match: string | undefined;
      for (const [user, entry] of tokens) if (verifyToken(entry.credential, token)) match ??= user;
      return match === undefined ? undefined : principal(match, 'bearer');
    },
    async checkSession(cookie, now) {
      const record = await sessions.verify(cookie, now);
      // A session outlives neither its user nor a change of that user's credential or role.
      if (!record || entries.get(record.user)?.fingerprint !== record.fingerprint) return undefined;
      return principal(record.user, 'session');
    },
    startSession(user, now) {
      return sessions.issue({ user, fingerprint: entries.get(user)!.fingerprint }, now);
    },
  };
}
