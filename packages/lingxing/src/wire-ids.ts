import { LingxingTransportError } from './errors.js';

/** A Lingxing id as dlsync holds it: the decimal digits, never a JS number. */
export type DecimalId = string;

const DECIMAL = /^\d{1,19}$/;

/**
 * The id written as a JSON integer with exactly its digits, for fields the reference types as
 * int (e.g. wmsOrderList `sid_arr`). stableStringify writes a bigint as its digits, so the body
 * and the signed canonical text carry the same bytes.
 */
export function wireInteger(id: DecimalId, endpoint: string, field: string): bigint {
  const text = String(id).trim();
  if (!DECIMAL.test(text)) {
    throw new LingxingTransportError(`Lingxing ${endpoint}: ${field} must be a decimal id, got ${JSON.stringify(text).slice(0, 40)}`, {
      code: 'INVALID_REQUEST',
      endpoint,
      retryable: false,
    });
  }
  return BigInt(text);
}
