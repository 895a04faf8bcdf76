import { parseStoredCredential, verifyPassword, verifyToken, type StoredCredential } from './credentials.js';
import { readCookie, SESSION_COOKIE, type SessionCodec } from './session.js';

export interface Principal {
  user: string;
  via: 'basic' | 'bearer' | 'session';
}

export interface Authenticator {
  /** Who sent these headers, or undefined for missing or wrong credentials. */
  authenticate(headers: { authorization?: string; cookie?: string }, now: Date): Promise<Principal | undefined>;
  /** Checks a user name and password (the login form). */
  checkPassword(user: string, password: string): Promise<boolean>;
  readonly sessions: SessionCodec;
}

// Unknown users are checked against this so a wrong user name costs as much as a wrong password.
const DECOY: StoredCredential = { kind: 'scrypt', salt: 'decoy-salt', key: Buffer.alloc(32) };

/** Parses `Basic <base64(user:password)>`; undefined when malformed. */
function parseBasic(value: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Credentials from `auth.admin.users`: user → `scrypt$<salt>$<hash>` (HTTP Basic or the login
 * form) or `token:<token>` (`Authorization: Bearer <token>`). Parsed once; a malformed entry
 * throws at start naming the user.
 */
export function makeAuthenticator(users: Record<string, string>, sessions: SessionCodec): Authenticator {
  const credentials = new Map(Object.entries(users).map(([user, value]) => [user, parseStoredCredential(user, value)]));
  const tokens = [...credentials].filter(([, c]) => c.kind === 'token');

  async function checkPassword(user: string, password: string): Promise<boolean> {
    const stored = credentials.get(user);
    const ok = await verifyPassword(stored ?? DECOY, password);
    return ok && stored !== undefined;
  }

  return {
    sessions,
    checkPassword,
    async authenticate(headers, now) {
      const authorization = headers.authorization ?? '';
      const space = authorization.indexOf(' ');
      const scheme = authorization.slice(0, space).toLowerCase();
      const value = authorization.slice(space + 1).trim();
      if (scheme === 'basic') {
        const basic = parseBasic(value);
        if (basic && (await checkPassword(basic.user, basic.password))) return { user: basic.user, via: 'basic' };
        return undefined;
      }
      if (scheme === 'bearer' && value) {
        // Compare against every token so the time taken does not say which (or whether one) matched.
        let match: string | undefined;
        for (const [user, stored] of tokens) if (verifyToken(stored, value)) match ??= user;
        return match === undefined ? undefined : { user: match, via: 'bearer' };
      }
      const cookie = readCookie(headers.cookie, SESSION_COOKIE);
      const user = cookie ? sessions.verify(cookie, now) : undefined;
      // A session outlives neither its user nor a change of the user list.
      return user !== undefined && credentials.has(user) ? { user, via: 'session' } : undefined;
    },
  };
}
