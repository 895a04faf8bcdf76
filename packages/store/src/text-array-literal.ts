/**
 * Postgres array literals of text lists that are sent again and again: a run waiting on its
 * writes asks "how many due rows, less these thousands of POs?" every 100 ms, with the same list
 * each time. Letting the driver turn the list into a literal on every call made that the
 * largest allocation of a waiting worker, so the literal is built once per list (the same
 * array object) and kept as long as the list lives.
 */
const literals = new WeakMap<readonly string[], { length: number; literal: string }>();

/**
 * `{"a","b"}`, with backslash and double quote escaped (Postgres array-element quoting). A list
 * that grew since its literal was built gets a new one; a list is otherwise not to be changed
 * in place once passed (the parameter is readonly).
 */
export function textArrayLiteral(items: readonly string[]): string {
  const kept = literals.get(items);
  if (kept?.length === items.length) return kept.literal;
  const literal = `{${items.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
  literals.set(items, { length: items.length, literal });
  return literal;
}
