import { createCipheriv, createHash } from 'node:crypto';
import { compareKeys, stableStringify } from './stable-stringify.js';

/** What a signature is computed over: business params plus access_token, app_key and timestamp. */
export type SignParams = Record<string, unknown>;

export interface Signature {
  /** The `key=value&…` string that is hashed. */
  canonical: string;
  /** MD5 of `canonical`, 32 uppercase hex characters. */
  md5: string;
  /** Base64 AES-128-ECB (PKCS#5) encryption of `md5` under the appId; URL-encode it in the query. */
  sign: string;
}

/**
 * Builds Lingxing's canonical string: keys in ASCII order, `key=value` joined by `&`. Keys
 * whose value is the empty string (or undefined, which is never sent) are skipped, and so is
 * `sign` itself; null is `null`; objects and arrays are compact JSON with sorted keys — the
 * same text {@link stableStringify} puts in the request body.
 */
export function canonicalize(params: SignParams): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '' && params[key] !== undefined)
    .sort(compareKeys)
    .map((key) => `${key}=${canonicalValue(params[key])}`)
    .join('&');
}

function canonicalValue(value: unknown): string {
  return typeof value === 'string' ? value : stableStringify(value);
}

/** Signs `params` (which must include access_token, app_key and timestamp) for `appId`. */
export function sign(params: SignParams, appId: string): Signature {
  const canonical = canonicalize(params);
  const md5 = createHash('md5').update(canonical, 'utf8').digest('hex').toUpperCase();
  return { canonical, md5, sign: aesEcbBase64(md5, appId) };
}

function aesEcbBase64(plain: string, appId: string): string {
  const key = Buffer.from(appId, 'utf8');
  if (key.length !== 16) throw new RangeError(`Lingxing appId must be 16 bytes to key AES-128 (got ${key.length})`);
  // Node pads with PKCS#7, which on 16-byte blocks is byte-for-byte PKCS#5.
  const cipher = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}
