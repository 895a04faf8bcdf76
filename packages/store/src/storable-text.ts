/**
 * Why Postgres would refuse to store `value` (as text or jsonb), or undefined when it can.
 * Postgres text cannot hold U+0000, and jsonb refuses the `\u0000` escape and a lone UTF-16
 * surrogate (JSON.stringify writes one as `\udXXX`, which jsonb rejects). Checked per order before
 * a batch write, so one bad string costs its own order, never the batch. Object keys count too.
 */
export function findUnstorableText(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'string') return describeBadString(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = describeBadString(key, `${path} key`);
      if (keyProblem) return keyProblem;
      const found = findUnstorableText(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

// A surrogate half not paired with its other half.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describeBadString(s: string, path: string): string | undefined {
  if (s.includes('\u0000')) return `${path} contains a NUL character (\\u0000)`;
  if (LONE_SURROGATE.test(s)) return `${path} contains a lone UTF-16 surrogate`;
  return undefined;
}

/**
 * Whether JSON text may hold a string Postgres refuses. JSON.stringify writes U+0000 and a lone
 * surrogate only as escapes (`\u0000`, `\udXXX`) and a paired one as itself, so text without
 * either escape is storable: the per-field walk of {@link findUnstorableText}, which names the
 * field, is needed only for the rare order this says yes to (a literal backslash before such
 * letters also says yes, and the walk then finds nothing).
 */
export function mayHoldUnstorableText(json: string): boolean {
  return ESCAPED_UNSTORABLE.test(json);
}

const ESCAPED_UNSTORABLE = /\\u0000|\\ud[89a-f]/i;
