import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses a Lingxing response body without ever holding an identifier in a JS number. Lingxing
 * sends store ids, global order numbers, wids and logistics ids as 18-digit integers (above
 * 2^53), so an integer a double cannot hold exactly is kept as its decimal string; every other
 * number is an ordinary number. The schemas turn ids into strings either way.
 */
export function parseLosslessJson(text: string): unknown {
  return parse(text, null, (digits: string) => (isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits)));
}
