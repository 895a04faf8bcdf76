import { createCipheriv, createHash } from 'node:crypto';

/** JSON with object keys sorted recursively and no whitespace (what the signed body must contain). */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => sortedJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  // An 18-digit integer arrives as a bigint and is signed with exactly its digits.
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

function paramValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return sortedJson(value);
  return String(value);
}

/** `k=v&…` over every parameter except `sign`, keys in ASCII order, empty strings skipped. */
export function canonicalString(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '' && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${paramValue(params[key])}`)
    .join('&');
}

export function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

/** AES-128-ECB with PKCS#5 padding keyed by the appId bytes, base64 (not yet URL-encoded). */
export function aesEcbBase64(plain: string, appId: string): string {
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(appId, 'utf8'), null);
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export function computeSign(params: Record<string, unknown>, appId: string): string {
  return aesEcbBase64(md5Upper(canonicalString(params)), appId);
}
