import { buildReverseMap } from '@dlsync/mapping';

export interface SkuPair {
  store_id: string;
  msku: string;
  sku: string;
}

export interface PairConflict {
  kind: 'msku_to_many_skus' | 'sku_to_many_mskus' | 'merged_mapping_not_one_to_one';
  key: string;
  values: string[];
  stores?: string[];
}

export interface SkuDiff {
  added: Record<string, string>;
  changed: Record<string, { from: string; to: string }>;
  removed: Record<string, string>;
}

/** msku → sku from Lingxing's pairs, or the conflicts that forbid writing it. */
export function pairsToMapping(pairs: SkuPair[]): { mapping: Record<string, string>; conflicts: PairConflict[] } {
  const skusOf = new Map<string, Map<string, Set<string>>>();
  const mskusOf = new Map<string, Map<string, Set<string>>>();
  const note = (index: Map<string, Map<string, Set<string>>>, key: string, value: string, store: string): void => {
    const values = index.get(key) ?? new Map<string, Set<string>>();
    values.set(value, (values.get(value) ?? new Set()).add(store));
    index.set(key, values);
  };
  for (const p of pairs) {
    if (!p.msku || !p.sku) continue;
    note(skusOf, p.msku, p.sku, p.store_id);
    note(mskusOf, p.sku, p.msku, p.store_id);
  }
  const conflicts: PairConflict[] = [];
  const collect = (index: Map<string, Map<string, Set<string>>>, kind: PairConflict['kind']): void => {
    for (const [key, values] of index) {
      if (values.size < 2) continue;
      const stores = new Set<string>();
      for (const s of values.values()) for (const id of s) stores.add(id);
      conflicts.push({ kind, key, values: [...values.keys()].sort(), stores: [...stores].sort() });
    }
  };
  collect(skusOf, 'msku_to_many_skus');
  collect(mskusOf, 'sku_to_many_mskus');
  const mapping: Record<string, string> = {};
  for (const [msku, values] of skusOf) if (values.size === 1) mapping[msku] = [...values.keys()][0]!;
  return { mapping, conflicts };
}

/**
 * Pulled pairs win over the current mapping; with `prune`, keys Lingxing no longer pairs are
 * dropped. A merge that would make mapping.sku not one-to-one is a conflict too.
 */
export function mergeSkuMapping(
  current: Record<string, string>,
  pulled: Record<string, string>,
  prune: boolean,
): { next: Record<string, string>; diff: SkuDiff; conflicts: PairConflict[] } {
  const next: Record<string, string> = prune ? {} : { ...current };
  Object.assign(next, pulled);
  const diff: SkuDiff = { added: {}, changed: {}, removed: {} };
  for (const [k, v] of Object.entries(next)) {
    const before = current[k];
    if (before === undefined) diff.added[k] = v;
    else if (before !== v) diff.changed[k] = { from: before, to: v };
  }
  for (const [k, v] of Object.entries(current)) if (!(k in next)) diff.removed[k] = v;
  const conflicts: PairConflict[] = buildReverseMap(next).conflicts.map((c) => ({
    kind: 'merged_mapping_not_one_to_one',
    key: c.value,
    values: c.keys,
  }));
  return { next, diff, conflicts };
}

export function diffSize(diff: SkuDiff): number {
  return Object.keys(diff.added).length + Object.keys(diff.changed).length + Object.keys(diff.removed).length;
}
