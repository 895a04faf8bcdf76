/**
 * Parses a Lingxing response body without ever holding an identifier in a JS number. Lingxing
 * sends store ids, global order numbers, wids and logistics ids as 18-digit integers (above
 * 2^53), so an integer a double cannot hold exactly is kept as its decimal string; every other
 * number is an ordinary number. The schemas turn ids into strings either way. The body is
 * parsed by the engine's own JSON.parse (a parser written in JS allocated and cost several
 * times more on every WMS and order list): such integers are first turned into string literals.
 * @throws SyntaxError when the body is not JSON.
 */
export function parseLosslessJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** `.`, `e`, `E`: the number has a fraction or an exponent, so it is no integer literal. */
const isFractionOrExponent = (c: number): boolean => c === 0x2e || c === 0x65 || c === 0x45;
const isNumberPart = (c: number): boolean => isDigit(c) || isFractionOrExponent(c) || c === MINUS || c === 0x2b;

/** Fewer digits than this always fit a double exactly (2^53 has 16). */
const SAFE_DIGITS = 15;
const LONG_DIGIT_RUN = new RegExp(`\\d{${SAFE_DIGITS + 1}}`);

/**
 * The JSON text with every integer literal outside strings that a double cannot hold exactly
 * written as a string literal of the same digits; the text itself when there is none (the
 * common case is told by one native search for a long run of digits).
 */
export function quoteUnsafeIntegers(text: string): string {
  if (!LONG_DIGIT_RUN.test(text)) return text;
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = afterString(text, i);
      continue;
    }
    if (c !== MINUS && !isDigit(c)) {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (i < text.length && isFractionOrExponent(text.charCodeAt(i))) {
      while (i < text.length && isNumberPart(text.charCodeAt(i))) i++;
      continue;
    }
    const digits = text.slice(start, i);
    if (digits.length - (c === MINUS ? 1 : 0) > SAFE_DIGITS && !Number.isSafeInteger(Number(digits))) {
      out += `${text.slice(copiedTo, start)}"${digits}"`;
      copiedTo = i;
    }
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** The index just past the string literal that opens at `open` (escapes skipped). */
function afterString(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i++;
  }
  return i;
}
