import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRuntimeConfig } from '@dlsync/config';
import { useTestEnv } from '@dlsync/infra/testing';
import { tryAcquireTaskLock, type Report } from '@dlsync/runner';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { makeStore, type Store } from '@dlsync/store';
import { logLine, startApp, type AppProcess } from '../src/processes/app-process.js';
import { fleetEnv, sandboxRemotes, writeEmptyEnvFile } from '../src/processes/fleet-env.js';
import { spawnCli } from './helpers.js';

const env = useTestEnv();
let dir: string;
let sandbox: Sandbox;
let store: Store;
let worker: AppProcess;
let childEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-enqueue-'));
  sandbox = await startSandbox({ seedOrders: 6, dscoRateLimit: { enabled: false } });
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
  await store.runtimeConfig.save(parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping() }), { expectedVersion: null, updatedBy: 'test' });
  childEnv = fleetEnv({
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    prefix: env.redisPrefix.replace(/:$/, ''),
    ...sandboxRemotes(sandbox),
    configPath: writeEmptyEnvFile(join(dir, 'env.yaml')),
  });
  worker = startApp('worker', { args: ['--tasks', 'pull_dsco_orders'], env: childEnv });
  await worker.waitForLine(logLine('worker started'));
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dlsync run', () => {
  it('runs a task in-process and prints its Report on stdout, logs on stderr', async () => {
    const r = await spawnCli(['run', 'pull_dsco_orders', '--json'], childEnv);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ task: 'pull_dsco_orders', status: 'ok', trigger: 'cli' });
    expect(r.stderr).toContain('task begin');
    expect(r.stderr).toContain(report.runId);
  }, 60_000);

  it('exits 1 with status locked while another run holds the task lock', async () => {
    const lock = await tryAcquireTaskLock(store.pool, 'pull_dsco_orders');
    expect(lock).toBeDefined();
    try {
      const r = await spawnCli(['run', 'pull_dsco_orders', '--log-level', 'warn'], childEnv);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^status\s+locked$/m);
      expect(r.stderr.trim().split('\n').pop()).toMatch(/^pull_dsco_orders run \S+ ended locked$/);
    } finally {
      await lock!.release();
    }
  }, 60_000);
});

describe('dlsync enqueue --wait', () => {
  it('waits for the worker to run the job and prints its Report; exit 0 for status ok', async () => {
    const r = await spawnCli(['enqueue', 'pull_dsco_orders', '--wait', '--json', '--timeout', '60'], childEnv);
    expect(r.stderr).toMatch(/^enqueued pull_dsco_orders job \S+$/m);
    // No "job … running" check: a fast job can finish before the CLI sees it active.
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ task: 'pull_dsco_orders', status: 'ok', trigger: 'cli', configVersion: 1 });
    // The worker logged the same run, and the orders it pulled are in the table.
    const done = await worker.waitForLine(logLine('job done', { run_id: report.runId }));
    expect(done.json?.status).toBe('ok');
    const counts = await store.orders.countByStatus();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(6);
  }, 90_000);

  it('prints the Report as tables by default', async () => {
    const r = await spawnCli(['enqueue', 'pull_dsco_orders', '--po', sandbox.world.dscoOrders.all()[0]!.order.poNumber, '--wait'], childEnv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^task\s+pull_dsco_orders$/m);
    expect(r.stdout).toMatch(/^status\s+ok$/m);
    expect(r.stdout).toMatch(/^OK\s+SKIPPED\s+FAILED\s+WAITING$/m);
  }, 90_000);
});

describe('single-PO runs and refused requests', () => {
  it('a PO that was not processed is reported with its reason and exits 1', async () => {
    const unknown = await spawnCli(['run', 'push_to_lingxing', '--po', 'PO9999999', '--log-level', 'warn'], childEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^po\s+PO9999999: NOT processed \(skipped\), not found locally$/m);
    expect(unknown.stdout).toMatch(/^PO9999999\s+skipped\s+not found locally$/m);

    const notInDsco = await spawnCli(['run', 'pull_dsco_orders', '--po', 'PO9999999', '--log-level', 'warn'], childEnv);
    expect(notInDsco.code).toBe(1);
    expect(notInDsco.stdout).toMatch(/^po\s+PO9999999: NOT processed \(skipped\), not found in DSCO$/m);

    const pulled = (await store.orders.search({ limit: 1 })).items[0]!.po_number;
    const lower = await spawnCli(['run', 'push_to_lingxing', '--po', pulled.toLowerCase(), '--log-level', 'warn'], childEnv);
    expect(lower.code).toBe(1);
    expect(lower.stdout).toContain(`not found locally (hint: ${pulled} exists (PO numbers are matched exactly))`);
  }, 90_000);

  it('refuses check_orders without a window before queueing: exit 2, nothing queued', async () => {
    for (const command of ['run', 'enqueue']) {
      const r = await spawnCli([command, 'check_orders'], childEnv);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe('--start/--end: check_orders needs a window (start and end) or a PO number');
    }
  }, 60_000);
});
