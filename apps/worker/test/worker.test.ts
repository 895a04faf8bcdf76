import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestEnv } from '@dlsync/infra/testing';
import { closeTaskQueues, enqueue, makeRedisConnection, makeTaskQueues, type TaskQueues } from '@dlsync/queue';
import type { Redis } from 'ioredis';
import { logLine, startApp, type AppProcess } from '../../cli/src/processes/app-process.js';
import { fleetEnv, writeEmptyEnvFile } from '../../cli/src/processes/fleet-env.js';

const env = useTestEnv();
let dir: string;
let prefix: string;
let connection: Redis;
let queues: TaskQueues;
const started: AppProcess[] = [];

function workerEnv(): NodeJS.ProcessEnv {
  return fleetEnv({
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    prefix,
    // Nothing listens here: the jobs of these tests never get as far as a remote call that matters.
    dsco: { baseUrl: 'http://127.0.0.1:9/api/v3', token: 'test-dsco-token' },
    lingxing: { baseUrl: 'http://127.0.0.1:9', appId: 'ak_test000000001', appSecret: 'test-secret', platformCode: 10009 },
    configPath: join(dir, 'env.yaml'),
  });
}

function worker(args: string[] = [], childEnv = workerEnv()): AppProcess {
  const p = startApp('worker', { args, env: childEnv });
  started.push(p);
  return p;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-worker-test-'));
  writeEmptyEnvFile(join(dir, 'env.yaml'));
  prefix = env.redisPrefix.replace(/:$/, '');
  connection = makeRedisConnection(env.redisUrl);
  queues = await makeTaskQueues({ connection, prefix });
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop('SIGKILL')));
  await closeTaskQueues(queues);
  connection.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker process', () => {
  it('rejects an unknown --tasks entry with exit code 2, naming the known tasks', async () => {
    const p = worker(['--tasks', 'pull_dsco_orders,bogus']);
    expect(await p.exited).toBe(2);
    const stderr = p.lines.filter((l) => l.stream === 'stderr').map((l) => l.text).join('\n');
    expect(stderr).toContain('unknown task bogus');
    expect(stderr).toContain('push_to_lingxing');
  }, 30_000);

  it('refuses to start without postgres.url, printing the path, exit 1', async () => {
    const childEnv = workerEnv();
    delete childEnv.DLSYNC__POSTGRES__URL;
    const p = worker([], childEnv);
    expect(await p.exited).toBe(1);
    expect(p.lines.map((l) => l.text)).toContain('postgres.url: required');
  }, 30_000);

  it('serves /healthz for the chosen queues, runs a job with a run_id log line and exits 0 on SIGTERM', async () => {
    const p = worker(['--tasks', 'check_orders,sync_stock', '--port', '0', '--host', '127.0.0.1']);
    const startedLine = await p.waitForLine(logLine('worker started'));
    expect(startedLine.json?.tasks).toEqual(['check_orders', 'sync_stock']);
    const healthUrl = String(startedLine.json?.health_url);

    const res = await fetch(healthUrl);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { ok: boolean; running: string[] };
    expect(health.ok).toBe(true);
    expect(health.running.sort()).toEqual(['check_orders', 'sync_stock']);
    expect((await fetch(healthUrl.replace('/healthz', '/other'))).status).toBe(404);

    const job = await enqueue(queues, 'check_orders', { trigger: 'manual', onlyPoNumber: 'PO-WORKER-TEST' });
    const done = await p.waitForLine(logLine('job done', { job_id: job.id }));
    expect(done.json?.task).toBe('check_orders');
    expect(String(done.json?.run_id)).toMatch(/^[0-9a-z-]{20,}$/i);
    expect(['ok', 'partial', 'failed', 'locked']).toContain(done.json?.status);

    expect(await p.stop('SIGTERM')).toBe(0);
    expect(p.lines.some(logLine('stopped'))).toBe(true);
  }, 60_000);

  it('prints usage for --help and exits 0', async () => {
    const p = worker(['--help']);
    expect(await p.exited).toBe(0);
    expect(p.lines.map((l) => l.text).join('\n')).toContain('--tasks <list>');
  }, 30_000);
});
