import { parseRuntimeConfig, type RuntimeConfig } from '@dlsync/config';
import type { TaskRegistry } from '@dlsync/runner';
import { pullSkuPair, taskRegistry } from '@dlsync/tasks';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness();
const TIMEOUT = 30_000;
const PAIR_LIST = 'lingxing /pb/mp/listing/v2/getPairList';

/** Pairs the sandbox's Lingxing reports beyond the suggested mapping (odd DLU-900x SKUs). */
const DISCOVERED = { 'DLU-9001': 'LX-9001', 'DLU-9003': 'LX-9003' };

async function liveConfig(): Promise<{ version: number; config: RuntimeConfig }> {
  const latest = await h.store.runtimeConfig.latest();
  if (!latest) throw new Error('no runtime_config saved');
  return { version: latest.version, config: parseRuntimeConfig(latest.config) };
}

/** Pairs extra catalog SKUs in Lingxing (in every store) for the duration of `fn`. */
async function withExtraPairs<T>(pairs: { msku: string; sku: string }[], fn: () => Promise<T>): Promise<T> {
  const skus = h.sandbox.world.catalog.skus;
  const added = pairs.map((p) => ({ sku: p.msku, localSku: p.sku, title: 'test pair', mapped: false, paired: true, basePriceCents: 1000 }));
  skus.push(...added);
  try {
    return await fn();
  } finally {
    for (const sku of added) skus.splice(skus.indexOf(sku), 1);
  }
}

beforeEach(() => {
  h.sandbox.reset();
  h.resetCalls();
});

describe('pull_sku_pair', () => {
  it(
    'merges discovered pairs into mapping.sku as a new version that the next run of any task reads',
    async () => {
      const suggested = h.sandbox.world.suggestedMapping();
      const before = await h.setConfig({ mapping: { ...suggested, sku: { ...suggested.sku, 'DL-1001': 'LX-STALE', 'DL-GONE': 'LX-GONE' } } });
      const report = await h.run('pull_sku_pair');

      expect(report.status).toBe('ok');
      expect(h.calls()[PAIR_LIST]?.ok).toBeGreaterThan(0);
      expect(report.details).toMatchObject({
        result: 'updated',
        previous_version: before,
        version: before + 1,
        diff: { added: DISCOVERED, changed: { 'DL-1001': { from: 'LX-STALE', to: 'LX-1001' } }, removed: {} },
      });
      const live = await liveConfig();
      expect(live.version).toBe(before + 1);
      // Without prune, keys Lingxing does not pair stay.
      expect(live.config.mapping.sku).toEqual({ ...suggested.sku, ...DISCOVERED, 'DL-GONE': 'LX-GONE' });
      expect((await h.store.runtimeConfig.get(before + 1))?.updated_by).toBe(`pull_sku_pair:${report.runId}`);
      // Everything but mapping.sku is carried over.
      expect(live.config.mapping.shop).toEqual(suggested.shop);
      expect(live.config.mapping.shipment).toEqual(suggested.shipment);

      let seen: { version: number; sku: Record<string, string> } | undefined;
      const tasks: TaskRegistry = {
        ...taskRegistry,
        check_orders: async (ctx) => {
          seen = { version: ctx.configVersion, sku: ctx.config.mapping.sku };
        },
      };
      await h.run('check_orders', {}, tasks);
      expect(seen).toEqual({ version: before + 1, sku: live.config.mapping.sku });
    },
    TIMEOUT,
  );

  it(
    'with prune drops keys Lingxing no longer pairs',
    async () => {
      const suggested = h.sandbox.world.suggestedMapping();
      const before = await h.setConfig({
        mapping: { ...suggested, sku: { ...suggested.sku, 'DL-GONE': 'LX-GONE' } },
        jobs: { pull_sku_pair: { prune: true } },
      });
      const report = await h.run('pull_sku_pair');

      expect(report.status).toBe('ok');
      expect(report.details.diff).toEqual({ added: DISCOVERED, changed: {}, removed: { 'DL-GONE': 'LX-GONE' } });
      const live = await liveConfig();
      expect(live.version).toBe(before + 1);
      expect(live.config.mapping.sku).toEqual({ ...suggested.sku, ...DISCOVERED });
      expect(live.config.jobs.pull_sku_pair.prune).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'reports unchanged and writes nothing when mapping.sku already matches',
    async () => {
      const suggested = h.sandbox.world.suggestedMapping();
      const before = await h.setConfig({ mapping: { ...suggested, sku: { ...suggested.sku, ...DISCOVERED } } });
      const report = await h.run('pull_sku_pair');

      expect(report.status).toBe('ok');
      expect(report.details).toMatchObject({ result: 'unchanged', version: before, diff: { added: {}, changed: {}, removed: {} } });
      expect((await liveConfig()).version).toBe(before);
    },
    TIMEOUT,
  );

  it(
    'aborts without writing when Lingxing pairs conflict and names the conflicts',
    async () => {
      const before = await h.setConfig({});
      const report = await withExtraPairs(
        [
          { msku: 'DL-1001', sku: 'LX-OTHER' }, // one msku → two skus
          { msku: 'DL-TWIN', sku: 'LX-1002' }, // one sku → two mskus
        ],
        () => h.run('pull_sku_pair'),
      );

      expect(report.status).toBe('failed');
      expect(report.error).toContain('Lingxing SKU pairs conflict, nothing written');
      const stores = h.sandbox.world.catalog.retailers.map((r) => r.storeId).sort();
      expect(report.error).toContain(`msku DL-1001 → LX-1001, LX-OTHER (stores ${stores.join(', ')})`);
      expect(report.error).toContain('sku LX-1002 ← DL-1002, DL-TWIN');
      expect(report.details.result).toBe('conflict');
      expect(report.details.conflicts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'msku_to_many_skus', key: 'DL-1001', values: ['LX-1001', 'LX-OTHER'] }),
          expect.objectContaining({ kind: 'sku_to_many_mskus', key: 'LX-1002', values: ['DL-1002', 'DL-TWIN'] }),
        ]),
      );
      expect((await liveConfig()).version).toBe(before);
      expect(await h.store.runtimeConfig.history({ limit: 100 })).toHaveLength(before);
    },
    TIMEOUT,
  );

  it(
    'aborts without writing when the merged mapping would not be one-to-one',
    async () => {
      const suggested = h.sandbox.world.suggestedMapping();
      // DL-LEGACY already claims LX-9001, which Lingxing pairs with DLU-9001.
      const before = await h.setConfig({ mapping: { ...suggested, sku: { ...suggested.sku, 'DL-LEGACY': 'LX-9001' } } });
      const report = await h.run('pull_sku_pair');

      expect(report.status).toBe('failed');
      expect(report.error).toContain('merged mapping.sku would not be one-to-one, nothing written: sku LX-9001 ← DL-LEGACY, DLU-9001');
      expect((await liveConfig()).version).toBe(before);
    },
    TIMEOUT,
  );

  it(
    'aborts with a clear error when runtime_config changed after the run read it',
    async () => {
      const before = await h.setConfig({});
      let concurrent = 0;
      const tasks: TaskRegistry = {
        ...taskRegistry,
        pull_sku_pair: async (ctx) => {
          // An admin saves a new version while the run works from its snapshot.
          concurrent = await h.setConfig({ jobs: { sync_stock: { sync: false } } });
          await pullSkuPair(ctx);
        },
      };
      const report = await h.run('pull_sku_pair', {}, tasks);

      expect(concurrent).toBe(before + 1);
      expect(report.status).toBe('failed');
      expect(report.configVersion).toBe(before);
      expect(report.error).toBe(
        `runtime_config changed while pull_sku_pair ran (read version ${before}, live version ${concurrent}); nothing written, run it again`,
      );
      const live = await liveConfig();
      expect(live.version).toBe(concurrent);
      expect((await h.store.runtimeConfig.get(concurrent))?.updated_by).toBe('test');
      expect(live.config.mapping.sku).toEqual(h.sandbox.world.suggestedMapping().sku);
    },
    TIMEOUT,
  );

  it(
    'fails without calling Lingxing when mapping.shop is empty',
    async () => {
      const before = await h.setConfig({ mapping: { ...h.sandbox.world.suggestedMapping(), shop: {} } });
      const report = await h.run('pull_sku_pair');

      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/^mapping\.shop is empty/);
      expect(h.calls()[PAIR_LIST]).toBeUndefined();
      expect((await liveConfig()).version).toBe(before);
    },
    TIMEOUT,
  );
});
