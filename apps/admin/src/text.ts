/** Lone UTF-16 surrogates: not text, and Postgres refuses them (as it refuses NUL). */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `value` is well-formed Unicode without NUL, i.e. storable and printable as is. */
export function isCleanText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}
