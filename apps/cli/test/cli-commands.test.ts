import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseRuntimeConfig } from '@dlsync/config';
import { useTestEnv } from '@dlsync/infra/testing';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues, reconcileSchedulers } from '@dlsync/queue';
import { makeStore, type Store } from '@dlsync/store';
import { captureCli } from './helpers.js';

const env = useTestEnv();
let dir: string;
let envFile: string;
let store: Store;

const cli = (...args: string[]) => captureCli(['--config', envFile, ...args]);

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.json') ? JSON.stringify(value) : stringify(value));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-cli-cmd-'));
  envFile = file('env.yaml', { postgres: { url: env.databaseUrl }, redis: { url: env.redisUrl, prefix: env.redisPrefix.replace(/:$/, '') } });
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dlsync migrate', () => {
  it('reports an already migrated database as up to date', async () => {
    const r = await cli('migrate');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^up to date \(\d+ migration\(s\) already applied\)$/);
  }, 30_000);
});

describe('dlsync config', () => {
  it('shows defaults, diffs, applies with compare-and-set, and refuses a stale --expected-version', async () => {
    const empty = await cli('config', 'show');
    expect(empty.code).toBe(0);
    expect(empty.out).toContain('# no runtime_config saved yet');

    const v1File = file('v1.yaml', { mapping: { shop: { R1: '110001' }, sku: { A: 'LX-A' } }, jobs: { push_to_lingxing: { enabled: true, cron: '*/5 * * * *' } } });
    const diff = await cli('config', 'diff', v1File);
    expect(diff.code).toBe(0);
    expect(diff.out.trim().split('\n')).toEqual([
      '+ mapping.shop.R1: "110001"',
      '+ mapping.sku.A: "LX-A"',
      '~ jobs.push_to_lingxing.enabled: false -> true',
    ]);

    const applied = await cli('config', 'apply', v1File, '--by', 'alice');
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.out).toContain('saved as v1');
    expect(await store.runtimeConfig.latest()).toMatchObject({ version: 1, updated_by: 'alice' });

    expect((await cli('config', 'apply', v1File)).out).toContain('no changes; live version stays v1');

    const v2File = file('v2.json', { mapping: { shop: { R1: '110002' } }, jobs: { push_to_lingxing: { enabled: true, cron: '*/5 * * * *' } } });
    expect((await cli('config', 'diff', v2File)).out.trim().split('\n')).toEqual(['~ mapping.shop.R1: "110001" -> "110002"', '- mapping.sku.A: "LX-A"']);

    // Someone else saves v2 after our diff against v1.
    await store.runtimeConfig.save(parseRuntimeConfig({}), { expectedVersion: 1, updatedBy: 'bob' });
    const stale = await cli('config', 'apply', v2File, '--expected-version', '1');
    expect(stale.code).toBe(1);
    expect(stale.err.trim()).toBe('live runtime_config is v2, not v1; diff again (applying would undo what was saved since; --force overwrites)');
    expect((await store.runtimeConfig.latest())?.version).toBe(2);

    const shown = await cli('config', 'show', '--version', '1');
    expect(shown.out.split('\n')[0]).toMatch(/^# runtime_config v1, updated by alice at /);
    expect(shown.out).toContain('R1: "110001"');
  }, 30_000);
});

describe('dlsync config apply against an export', () => {
  it('an export carries its version; applying it after someone else saved is refused; --force prints what it removes', async () => {
    const base = (await store.runtimeConfig.latest())?.version ?? null;
    const v = await store.runtimeConfig.save(parseRuntimeConfig({ mapping: { sku: { A: 'LX-A' } } }), { expectedVersion: base, updatedBy: 'alice' });
    const exported = await cli('config', 'show');
    expect(exported.out.split('\n')[1]).toMatch(new RegExp(`^# dlsync-config-version: ${v} `));
    const edited = exported.out.replace("A: LX-A", "A: LX-A\n    B: LX-B");
    const mine = join(dir, 'mine.yaml');
    writeFileSync(mine, edited);

    // pull_sku_pair (or a colleague) saves a mapping after our export.
    await store.runtimeConfig.save(parseRuntimeConfig({ mapping: { sku: { A: 'LX-A', C: 'LX-C' } } }), { expectedVersion: v, updatedBy: 'pull_sku_pair' });
    const refused = await cli('config', 'apply', mine);
    expect(refused.code).toBe(1);
    expect(refused.err.trim()).toBe(`live runtime_config is v${v + 1}, not v${v}; diff again (applying would undo what was saved since; --force overwrites)`);
    expect((await store.runtimeConfig.latest())?.version).toBe(v + 1);

    const forced = await cli('config', 'apply', mine, '--force');
    expect(forced.code).toBe(0);
    expect(forced.err).toContain(`--force: removing 1 key(s) from v${v + 1}:\n- mapping.sku.C: "LX-C"`);
    expect(forced.out).toContain(`saved as v${v + 2}`);

    // The JSON export carries the version as a key; a fresh export applies cleanly.
    const json = await cli('config', 'show', '--json');
    const doc = JSON.parse(json.out) as Record<string, unknown>;
    expect(doc.$dlsync_config_version).toBe(v + 2);
    (doc.mapping as { shop: Record<string, string> }).shop = { R9: '119999' };
    const applied = await cli('config', 'apply', file('fresh.json', doc));
    expect(applied.code).toBe(0);
    expect(applied.out).toContain(`saved as v${v + 3}`);

    // A hand-written file without a version may not overwrite a live config silently.
    const bare = await cli('config', 'apply', file('bare.yaml', { mapping: { shop: { R1: '1' } } }));
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('does not say which version it was exported from');
  }, 30_000);

  it('an unquoted cron says to quote it', async () => {
    const path = join(dir, 'cron.yaml');
    writeFileSync(path, 'jobs:\n  push_to_lingxing:\n    cron: */5 * * * *\n');
    const r = await cli('config', 'validate', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Unexpected alias');
    expect(r.err).toContain('quote cron expressions, e.g. cron: "*/5 * * * *"');
  });
});

describe('dlsync orders', () => {
  beforeAll(async () => {
    await store.orders.upsertPulled(
      ['PO-A1', 'PO-A2', 'PO-B1'].map((po, i) => ({
        po_number: po,
        dsco_order_id: `D${i}`,
        dsco_retailer_id: 'R1',
        dsco_status: 'created',
        dsco_create_time: 1_750_000_000 + i,
        pulledStatus: 1,
        mskus: 'SKU(1)',
        warehouse_id: 'WH',
        shipment: 'UPSG',
        payload: { poNumber: po },
      })),
    );
  });

  it('lists with filters and paging, and shows one order', async () => {
    const all = await cli('orders', 'list', '--po', 'PO-A', '--limit', '1');
    expect(all.code).toBe(0);
    const rows = all.out.trim().split('\n');
    expect(rows[0]).toMatch(/^PO\s+STATUS\s+RETAILER\s+CREATED/);
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(['PO-A2']);
    const cursor = /--after (\S+)/.exec(all.err)?.[1];
    expect(cursor).toBeDefined();
    const next = await cli('orders', 'list', '--po', 'PO-A', '--limit', '1', '--after', cursor!);
    expect(next.out.trim().split('\n').slice(1).map((r) => r.split(/\s+/)[0])).toEqual(['PO-A1']);
    expect(next.err).toContain('last page');

    expect((await cli('orders', 'list', '--status', '5')).out.trim().split('\n')).toHaveLength(1);

    const shown = await cli('orders', 'show', 'PO-B1');
    expect(shown.out).toMatch(/^po_number\s+PO-B1$/m);
    expect(shown.out).toMatch(/^status\s+1 · to push$/m);
    expect(shown.out).toContain('"poNumber": "PO-B1"');

    const missing = await cli('orders', 'show', 'PO-NOPE');
    expect(missing).toMatchObject({ code: 1, err: 'no order PO-NOPE\n' });
    expect(await cli('orders', 'show', 'po-b1')).toMatchObject({ code: 1, err: 'no order po-b1 (PO-B1 exists; PO numbers are matched exactly)\n' });
  }, 30_000);
});

describe('dlsync schedulers', () => {
  it('lists every scheduled task with its cron and next run, or (not scheduled)', async () => {
    const connection = makeRedisConnection(env.redisUrl);
    const queues = await makeTaskQueues({ connection, prefix: env.redisPrefix.replace(/:$/, '') });
    try {
      await reconcileSchedulers(queues, parseRuntimeConfig({ jobs: { ship_to_dsco: { enabled: true, cron: '0 0 1 1 *' } } }));
      const r = await cli('schedulers');
      expect(r.code).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines.find((l) => l.startsWith('ship_to_dsco'))).toMatch(/^ship_to_dsco\s+0 0 1 1 \*\s+\d{4}-01-01T00:00:00.000Z\s+in \d+h/);
      expect(lines.find((l) => l.startsWith('push_to_lingxing'))).toMatch(/\(not scheduled\)/);
      expect(lines.some((l) => l.startsWith('check_orders'))).toBe(false);
    } finally {
      await closeTaskQueues(queues);
      connection.disconnect();
    }
  }, 30_000);
});
