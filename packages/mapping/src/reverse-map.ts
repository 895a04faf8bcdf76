/** Lingxing value → DSCO key, with every value that more than one key maps to. */
export interface ReverseMap {
  get(value: string): string | undefined;
  /** Values claimed by several keys; the map is one-to-one when this is empty. */
  conflicts: ReverseConflict[];
}

export interface ReverseConflict {
  value: string;
  keys: string[];
}

export function buildReverseMap(forward: Record<string, string>): ReverseMap {
  const byValue = new Map<string, string[]>();
  for (const [key, value] of Object.entries(forward)) {
    const keys = byValue.get(value);
    if (keys) keys.push(key);
    else byValue.set(value, [key]);
  }
  const conflicts: ReverseConflict[] = [];
  const reverse = new Map<string, string>();
  for (const [value, keys] of byValue) {
    if (keys.length > 1) conflicts.push({ value, keys: keys.sort() });
    else reverse.set(value, keys[0]!);
  }
  conflicts.sort((a, b) => a.value.localeCompare(b.value));
  return { get: (value) => reverse.get(value), conflicts };
}

/** A reverse map a task needs is not one-to-one; the task refuses to run. */
export class MappingConflictError extends Error {
  override name = 'MappingConflictError';
  constructor(
    readonly map: string,
    readonly conflicts: ReverseConflict[],
  ) {
    super(
      `mapping.${map} is not one-to-one: ${conflicts
        .map((c) => `${c.value} ← ${c.keys.join(', ')}`)
        .join('; ')}`,
    );
  }
}
