import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Lingxing's servers read 18-digit integers exactly (they are Java longs), so the fake parses
 * request bodies the same way: an integer a double cannot hold becomes a bigint, every other
 * number a number. The sign is then checked over exactly those digits.
 */
export function parseLingxingJson(text: string): unknown {
  return parse(text, null, (digits: string) => (isInteger(digits) && !isSafeNumber(digits) ? BigInt(digits) : Number(digits)));
}

/** Response JSON in which bigint ids are written as plain integers with all their digits. */
export function stringifyLingxingJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** An id the references type as int, written with its exact digits (e.g. `sid`, `wid`, `global_order_no` of create). */
export function intId(id: string): bigint {
  return BigInt(id);
}
