import { parseRuntimeConfig } from '@dlsync/config';
import type { TaskContext } from '@dlsync/runner';
import { RuntimeConfigConflictError } from '@dlsync/store';
import { diffSize, mergeSkuMapping, pairsToMapping, type PairConflict } from './rules/index.js';

/** Conflicts named in the run's error message; the full list is in the report details. */
const MAX_CONFLICTS_IN_ERROR = 10;

/**
 * SPEC §6 pull_sku_pair: Lingxing's MSKU ↔ SKU pairs of every mapped store become mapping.sku
 * (pulled pairs win; `prune` also drops keys Lingxing no longer pairs), saved as a new
 * runtime_config version by compare-and-set on the version this run read. Any conflict, or a
 * config changed meanwhile, aborts without writing and fails the run.
 */
export async function pullSkuPair(ctx: TaskContext<'pull_sku_pair'>): Promise<void> {
  const storeIds = ctx.mapping.storeIds();
  if (storeIds.length === 0) throw new Error('mapping.shop is empty: no Lingxing store to read SKU pairs from');
  if (ctx.onlyPoNumber !== undefined) ctx.report.detail('only_po_number', 'ignored: pull_sku_pair is not per order');

  const pairs = await ctx.lingxing.allPairs(storeIds, String(ctx.platformCode), { signal: ctx.signal });
  ctx.report.detail('pairs', pairs.length);
  ctx.progress(50);
  const pulled = pairsToMapping(pairs);
  if (pulled.conflicts.length > 0) abort(ctx, 'Lingxing SKU pairs conflict', pulled.conflicts);

  const current = ctx.config.mapping.sku;
  if (ctx.job.prune && Object.keys(pulled.mapping).length === 0 && Object.keys(current).length > 0) {
    // An empty listing is far likelier a Lingxing-side problem than "nothing is paired any more".
    throw new Error('Lingxing returned no SKU pairs; refusing to prune every mapping.sku key, nothing written');
  }
  const merged = mergeSkuMapping(current, pulled.mapping, ctx.job.prune);
  if (merged.conflicts.length > 0) abort(ctx, 'merged mapping.sku would not be one-to-one', merged.conflicts);

  ctx.report.detail('diff', merged.diff);
  if (diffSize(merged.diff) === 0) {
    ctx.report.detail('result', 'unchanged');
    ctx.report.detail('version', ctx.configVersion);
    ctx.logger.info('mapping.sku unchanged', { pairs: pairs.length, version: ctx.configVersion });
    return;
  }

  const next = parseRuntimeConfig(
    { ...ctx.config, mapping: { ...ctx.config.mapping, sku: merged.next } },
    'runtime_config built by pull_sku_pair',
  );
  const version = await saveNext(ctx, next);
  ctx.report.detail('result', 'updated');
  ctx.report.detail('previous_version', ctx.configVersion);
  ctx.report.detail('version', version);
  ctx.logger.info('mapping.sku updated', {
    version,
    added: Object.keys(merged.diff.added).length,
    changed: Object.keys(merged.diff.changed).length,
    removed: Object.keys(merged.diff.removed).length,
  });
  ctx.progress(100);
}

/** Compare-and-set on the version the run read (0 = none was ever saved). */
async function saveNext(ctx: TaskContext<'pull_sku_pair'>, next: unknown): Promise<number> {
  const expectedVersion = ctx.configVersion === 0 ? null : ctx.configVersion;
  try {
    return await ctx.store.runtimeConfig.save(next, { expectedVersion, updatedBy: `pull_sku_pair:${ctx.runId}` });
  } catch (err) {
    if (!(err instanceof RuntimeConfigConflictError)) throw err;
    ctx.report.detail('result', 'config_changed');
    ctx.report.detail('live_version', err.actual);
    throw new Error(
      `runtime_config changed while pull_sku_pair ran (read version ${ctx.configVersion}, live version ${err.actual ?? 'none'}); nothing written, run it again`,
    );
  }
}

function describeConflict(c: PairConflict): string {
  const stores = c.stores?.length ? ` (stores ${c.stores.join(', ')})` : '';
  switch (c.kind) {
    case 'msku_to_many_skus':
      return `msku ${c.key} → ${c.values.join(', ')}${stores}`;
    case 'sku_to_many_mskus':
      return `sku ${c.key} ← ${c.values.join(', ')}${stores}`;
    case 'merged_mapping_not_one_to_one':
      return `sku ${c.key} ← ${c.values.join(', ')}`;
  }
}

/** Reports every conflict and fails the run; nothing has been written at this point. */
function abort(ctx: TaskContext<'pull_sku_pair'>, what: string, conflicts: PairConflict[]): never {
  ctx.report.detail('result', 'conflict');
  ctx.report.detail('conflicts', conflicts);
  const named = conflicts.slice(0, MAX_CONFLICTS_IN_ERROR).map(describeConflict).join('; ');
  const more = conflicts.length > MAX_CONFLICTS_IN_ERROR ? ` and ${conflicts.length - MAX_CONFLICTS_IN_ERROR} more` : '';
  throw new Error(`${what}, nothing written: ${named}${more}`);
}
