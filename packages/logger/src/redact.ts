/**
 * Keys whose values never reach a log line. Compared after lower-casing and dropping `-` and
 * `_`, so `apiKey`, `api_key`, `x-api-key` and `X_API_KEY` are one rule each.
 */
export const SECRET_KEYS: readonly string[] = [
  'token',
  'access_token',
  'app_secret',
  'client_secret',
  'sign',
  'authorization',
  'proxy-authorization',
  'password',
  'password_hash',
  'refresh_token',
  'cookie',
  'set-cookie',
  'session_secret',
  'secret',
  'api_key',
  'x-api-key',
  'private_key',
];

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
const SECRET_KEY_SET = new Set(SECRET_KEYS.map(normalizeKey));
export const REDACTED = '[redacted]';

/** A key name as it appears in text, in any of its spellings (`api_key`, `api-key`, `apiKey`). */
const keyPattern = (key: string) =>
  key
    .split(/[-_]/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[-_]?');
const ANY_SECRET_KEY = `(?:${SECRET_KEYS.map(keyPattern).join('|')})`;

/**
 * Secrets also travel inside strings: a signed query, a JSON body or a header echoed into an
 * error message, a connection URL. Each pattern keeps the name and replaces only the value.
 */
const STRING_RULES: [RegExp, string][] = [
  // "access_token":"…" inside a string, also when that JSON was escaped once more (\"…\").
  [new RegExp(`((?:\\\\*")${ANY_SECRET_KEY}\\\\*"\\s*:\\s*\\\\*")(?:[^"\\\\]|\\\\(?!"))*`, 'gi'), `$1${REDACTED}`],
  // access_token=…  api_key: …  (query strings, header dumps, key=value logs)
  [new RegExp(`\\b(${ANY_SECRET_KEY}\\s*[=:]\\s*)(?!\\[redacted\\])(?:Bearer\\s+|Basic\\s+)?[^&\\s"',;}]+`, 'gi'), `$1${REDACTED}`],
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:)[^\s@/"']+@/gi, `$1${REDACTED}@`],
  // Authorization header values wherever they appear.
  [/\b(bearer)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(basic)\s+(?!\[redacted\])[A-Za-z0-9+/=_-]{6,}/gi, `$1 ${REDACTED}`],
  // auth.admin.users values: token:<token> and scrypt$<salt>$<hash>.
  [/\b(token:)(?!\[redacted\])[^\s"',;}]+/g, `$1${REDACTED}`],
  [/\bscrypt\$[\w-]+\$[\w-]+/g, `scrypt$${REDACTED}`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(normalizeKey(key));
}

/**
 * Every rule above needs one of `= : " $` or the word bearer/basic, so a string with none of
 * them is returned as it is: one scan instead of seven, which matters because every field of
 * every log line (a run logs a line per order) passes through here.
 */
const MIGHT_HOLD_SECRET = /[=:"$]|bearer|basic/i;

export function redactString(value: string): string {
  if (!MIGHT_HOLD_SECRET.test(value)) return value;
  return STRING_RULES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
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
