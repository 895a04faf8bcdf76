/** Keys whose values never reach a log line, compared case-insensitively. */
export const SECRET_KEYS: readonly string[] = [
  'token',
  'access_token',
  'accesstoken',
  'app_secret',
  'appsecret',
  'client_secret',
  'clientsecret',
  'sign',
  'authorization',
  'password',
  'refresh_token',
  'refreshtoken',
  'cookie',
  'session_secret',
  'sessionsecret',
  'set-cookie',
];

const SECRET_KEY_SET = new Set(SECRET_KEYS);
export const REDACTED = '[redacted]';

// Secrets also travel inside strings: URLs with a signed query, or an Authorization header echoed
// into an error message. Scrub the value part of those shapes too.
const QUERY_SECRET = /\b(access_token|app_secret|appSecret|client_secret|refresh_token|refreshToken|sign|token|password)=([^&\s"']+)/gi;
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(key.toLowerCase());
}

export function redactString(value: string): string {
  return value.replace(QUERY_SECRET, `$1=${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
}

/**
 * Returns a copy of `value` in which every secret key's value is replaced by `[redacted]`,
 * at any depth, and secret-looking substrings of strings are scrubbed. Cycles are cut.
 */
export function redact(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    if (value.stack) out.stack = redactString(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redact(v, seen);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redact(v, seen);
  return out;
}
