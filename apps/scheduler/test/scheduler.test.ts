import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRuntimeConfig, type RuntimeConfigInput } from '@dlsync/config';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { listSchedulers, makeRedisConnection } from '@dlsync/queue';
import { makeStore, type Store } from '@dlsync/store';
import type { Redis } from 'ioredis';
import { logLine, startApp } from '../../cli/src/processes/app-process.js';
import { fleetEnv, writeEmptyEnvFile } from '../../cli/src/processes/fleet-env.js';
import { startScheduler, type SchedulerApp } from '../src/index.js';

const env = useTestEnv();
let store: Store;
let connection: Redis;
let prefix: string;
const apps: SchedulerApp[] = [];

async function save(config: unknown): Promise<number> {
  const latest = await store.runtimeConfig.latest();
  return store.runtimeConfig.save(config, { expectedVersion: latest?.version ?? null, updatedBy: 'test' });
}

const valid = (jobs: RuntimeConfigInput['jobs']): unknown => parseRuntimeConfig({ jobs });

async function scheduled(app: SchedulerApp): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await listSchedulers(app.queues)).map((s) => [s.task, s.pattern]));
}

async function start(pollMs = 60_000) {
  const mem = makeMemoryLogger();
  const app = await startScheduler({ store, connection, prefix, logger: mem.logger, pollMs });
  apps.push(app);
  return { app, lines: mem.lines };
}

beforeAll(() => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 3 });
  connection = makeRedisConnection(env.redisUrl);
  prefix = env.redisPrefix.replace(/:$/, '');
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await store.close();
  connection.disconnect();
});

describe('scheduler', () => {
  it('schedules nothing without a runtime_config, then follows new versions; an invalid one keeps the schedule', async () => {
    const { app, lines } = await start();
    expect(app.first).toEqual({ kind: 'reconciled', version: 0, result: expect.objectContaining({ upserted: [] }) });
    expect(await scheduled(app)).toEqual({});

    const v1 = await save(
      valid({ pull_dsco_orders: { enabled: true, cron: '*/5 * * * * *' }, ack_to_dsco: { enabled: true, cron: '0 * * * *' } }),
    );
    expect(await app.reconcileNow()).toMatchObject({ kind: 'reconciled', version: v1 });
    expect(await scheduled(app)).toEqual({ pull_dsco_orders: '*/5 * * * * *', ack_to_dsco: '0 * * * *' });
    expect(lines.find(logLineIn('schedulers reconciled', v1))).toMatchObject({ upserted: ['pull_dsco_orders', 'ack_to_dsco'] });

    // Stored behind the validator's back (e.g. hand-edited SQL, or saved before crons were
    // validated): the bad task keeps its schedule, every other task follows the new version.
    const v2 = await save({ jobs: { pull_dsco_orders: { enabled: true, cron: 'every minute' }, nope: {} } });
    expect(await app.reconcileNow()).toEqual({
      kind: 'partial',
      version: v2,
      result: expect.objectContaining({ removed: ['ack_to_dsco'] }),
      failed: [{ task: 'pull_dsco_orders', kind: 'invalid', error: `jobs.pull_dsco_orders is invalid in v${v2}; keeping its previous schedule` }],
    });
    expect(await scheduled(app)).toEqual({ pull_dsco_orders: '*/5 * * * * *' });
    const refused = lines.find((l) => l.message === 'runtime config invalid: tasks with a bad entry keep their previous schedule');
    expect(refused).toMatchObject({ level: 'error', config_version: v2, refused_tasks: ['pull_dsco_orders'] });
    expect(refused?.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^jobs\.pull_dsco_orders\.cron: /), expect.stringMatching(/^jobs\.nope: unknown task/)]),
    );

    const v3 = await save(valid({ pull_dsco_orders: { enabled: true, cron: '*/10 * * * * *' } }));
    expect(await app.reconcileNow()).toMatchObject({ kind: 'reconciled', version: v3, result: { upserted: ['pull_dsco_orders'], removed: [] } });
    expect(await scheduled(app)).toEqual({ pull_dsco_orders: '*/10 * * * * *' });
    await app.close();
  }, 30_000);

  it('one bad cron never blocks the other tasks: enabling, disabling and changing them still applies', async () => {
    const { app } = await start();
    await save(valid({ ack_to_dsco: { enabled: true, cron: '0 * * * *' }, ship_to_dsco: { enabled: true, cron: '5 * * * *' } }));
    await app.reconcileNow();
    // A cron BullMQ cannot parse, stored without the validator (as one saved before it existed).
    const bad = await save({
      jobs: {
        pull_dsco_orders: { enabled: true, cron: '99 * * * *' },
        ack_to_dsco: { enabled: false },
        ship_to_dsco: { enabled: true, cron: '10 * * * *' },
        sync_stock: { enabled: true, cron: '*/15 * * * *' },
      },
    });
    for (let i = 0; i < 2; i++) {
      const outcome = await app.reconcileNow();
      expect(outcome).toMatchObject({ kind: 'partial', version: bad, failed: [{ task: 'pull_dsco_orders', kind: 'invalid' }] });
    }
    expect(await scheduled(app)).toEqual({ ship_to_dsco: '10 * * * *', sync_stock: '*/15 * * * *' });
    await app.close();
  }, 30_000);

  it('picks up a new version by polling, and two schedulers at once keep one scheduler per task', async () => {
    const a = await start(100);
    const b = await start(100);
    const version = await save(valid({ push_to_lingxing: { enabled: true, cron: '*/3 * * * * *' }, sync_stock: { enabled: true, cron: '*/7 * * * *' } }));
    // Neither is told: both must notice the new version on their own poll.
    for (let i = 0; i < 100 && !(lineFor(a.lines, version) && lineFor(b.lines, version)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(lineFor(a.lines, version)).toBeDefined();
    expect(lineFor(b.lines, version)).toBeDefined();
    expect(await scheduled(a.app)).toEqual({ push_to_lingxing: '*/3 * * * * *', sync_stock: '*/7 * * * *' });
    // One repeatable entry per task, whichever scheduler wrote it.
    expect(await a.app.queues.push_to_lingxing.getJobSchedulersCount()).toBe(1);
    // A scheduler lost with Redis comes back on the next poll.
    await a.app.queues.sync_stock.removeJobScheduler('sync_stock');
    await a.app.reconcileNow();
    expect((await scheduled(a.app)).sync_stock).toBe('*/7 * * * *');
  }, 30_000);

  it('runs as a process: reconciles at start and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlsync-scheduler-test-'));
    try {
      const childEnv = fleetEnv({
        databaseUrl: env.databaseUrl,
        redisUrl: env.redisUrl,
        prefix,
        dsco: { baseUrl: 'http://127.0.0.1:9/api/v3', token: 'unused' },
        lingxing: { baseUrl: 'http://127.0.0.1:9', appId: 'ak_test000000001', appSecret: 'unused', platformCode: 1 },
        configPath: writeEmptyEnvFile(join(dir, 'env.yaml')),
      });
      // The scheduler needs no DSCO or Lingxing credentials.
      for (const key of Object.keys(childEnv)) if (/__(DSCO|LINGXING)__/.test(key)) delete childEnv[key];
      const p = startApp('scheduler', { args: ['--poll-ms', '200'], env: childEnv });
      const started = await p.waitForLine(logLine('scheduler started'));
      expect(started.json).toMatchObject({ app: 'scheduler', first: 'reconciled' });
      expect(p.lines.some(logLine('schedulers reconciled'))).toBe(true);
      expect(await p.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

function logLineIn(message: string, version: number) {
  return (l: Record<string, unknown>) => l.message === message && l.config_version === version;
}

function lineFor(lines: Record<string, unknown>[], version: number) {
  return lines.find(logLineIn('schedulers reconciled', version));
}
