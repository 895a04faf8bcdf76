export interface ConfigDiff {
  added: { path: string; value: unknown }[];
  changed: { path: string; from: unknown; to: unknown }[];
  removed: { path: string; value: unknown }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf values by dotted path; arrays and scalars are leaves, an empty object has none. */
function leaves(value: unknown, path: string[] = [], out = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  } else {
    out.set(path.join('.'), value);
  }
  return out;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Keys added, changed and removed going from `before` to `after`, in path order. */
export function diffConfig(before: unknown, after: unknown): ConfigDiff {
  const a = leaves(before);
  const b = leaves(after);
  const diff: ConfigDiff = { added: [], changed: [], removed: [] };
  for (const [path, to] of b) {
    if (!a.has(path)) diff.added.push({ path, value: to });
    else if (!same(a.get(path), to)) diff.changed.push({ path, from: a.get(path), to });
  }
  for (const [path, value] of a) if (!b.has(path)) diff.removed.push({ path, value });
  const byPath = (x: { path: string }, y: { path: string }) => x.path.localeCompare(y.path);
  diff.added.sort(byPath);
  diff.changed.sort(byPath);
  diff.removed.sort(byPath);
  return diff;
}

export const isEmptyDiff = (d: ConfigDiff): boolean => !d.added.length && !d.changed.length && !d.removed.length;

/** `+ path: value`, `~ path: from -> to`, `- path: value` lines. */
export function formatDiff(d: ConfigDiff): string {
  const v = (x: unknown) => JSON.stringify(x);
  return [
    ...d.added.map((e) => `+ ${e.path}: ${v(e.value)}`),
    ...d.changed.map((e) => `~ ${e.path}: ${v(e.from)} -> ${v(e.to)}`),
    ...d.removed.map((e) => `- ${e.path}: ${v(e.value)}`),
  ].join('\n');
}
