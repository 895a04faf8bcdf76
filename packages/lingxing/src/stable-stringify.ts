/**
 * Compact JSON with object keys sorted (by UTF-16 code unit, which is ASCII order for the
 * ASCII keys Lingxing uses) at every depth. The signature covers this exact text and the
 * request body is this exact text, so the two can never disagree. Otherwise it follows
 * `JSON.stringify`: `undefined` properties are dropped, `undefined` in arrays and non-finite
 * numbers become `null`, `toJSON` (e.g. on Date) is honoured, non-ASCII stays unescaped.
 */
export function stableStringify(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError('stableStringify: value has no JSON representation');
  return text;
}

function serialize(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => serialize(item) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort(compareKeys)) {
    const item = serialize(record[key]);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
