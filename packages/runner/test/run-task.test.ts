import pg from 'pg';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { makeStore, type Store } from '@dlsync/store';
import { TASK_NAMES } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import { runTask, taskLockKey, type RunnerDeps, type TaskFn, type TaskRegistry } from '@dlsync/runner';

const env = useTestEnv();
let store: Store;

beforeAll(() => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 5 });
});
afterAll(() => store.close());

/** A registry where every task does `fn`; these tests exercise the runner, not the tasks. */
function registry(fn: TaskFn): TaskRegistry {
  return Object.fromEntries(TASK_NAMES.map((t) => [t, fn])) as unknown as TaskRegistry;
}

function deps(fn: TaskFn, logger = makeMemoryLogger().logger): RunnerDeps {
  // The runner only hands clients through to tasks; these test tasks never call them.
  return { store, dsco: {} as DscoClient, lingxing: {} as LingxingClient, tasks: registry(fn), logger, platformCode: 10009, lockHeartbeatMs: 100 };
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

async function lockHeld(task: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: env.databaseUrl });
  await c.connect();
  const { rows } = await c.query<{ n: string }>(
    // pg_locks is cluster-wide: look only at this file's database.
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [taskLockKey(task).toString()],
  );
  await c.end();
  return rows[0]?.n !== '0';
}

describe('runTask', () => {
  it('runs one of two concurrent runs of a task; the other reports locked', async () => {
    const started = gate();
    const release = gate();
    const first = runTask('push_to_lingxing', { trigger: 'schedule' }, deps(async (ctx) => {
      started.open();
      await release.wait;
      ctx.orderDone('PO-1', 'ok');
    }));
    await started.wait;
    const second = await runTask('push_to_lingxing', { trigger: 'manual' }, deps(async () => undefined));
    expect(second.status).toBe('locked');
    release.open();
    const report = await first;
    expect(report.status).toBe('ok');
    expect(report.counts).toEqual({ ok: 1, skipped: 0, failed: 0 });
    expect(await lockHeld('push_to_lingxing')).toBe(false);
  });

  it('different tasks do not block each other', async () => {
    const release = gate();
    const a = runTask('ack_to_dsco', { trigger: 'schedule' }, deps(() => release.wait));
    const b = await runTask('ship_to_dsco', { trigger: 'schedule' }, deps(async () => undefined));
    release.open();
    expect(b.status).toBe('ok');
    expect((await a).status).toBe('ok');
  });

  it('aborts the run when its lock connection is killed, and the lock is free afterwards', async () => {
    const started = gate();
    const run = runTask('sync_stock', { trigger: 'schedule' }, deps(async (ctx) => {
      started.open();
      await new Promise<void>((resolve, reject) => {
        // The fallback timer is cleared on abort: a pending 20 s timer kept the jest worker alive
        // after the run, and jest had to force it to exit.
        const fallback = setTimeout(resolve, 20_000);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(fallback);
          reject(ctx.signal.reason as Error);
        });
      });
    }));
    await started.wait;
    const admin = new pg.Client({ connectionString: env.databaseUrl });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [taskLockKey('sync_stock').toString()],
    );
    await admin.end();
    const report = await run;
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/lock connection lost/);
    expect(await lockHeld('sync_stock')).toBe(false);
    const again = await runTask('sync_stock', { trigger: 'schedule' }, deps(async () => undefined));
    expect(again.status).toBe('ok');
  }, 30_000);

  it('puts the run_id on every log line and logs begin, order done and end', async () => {
    const { logger, lines } = makeMemoryLogger();
    const report = await runTask('ack_to_dsco', { trigger: 'cli', onlyPoNumber: 'PO-9' }, deps(async (ctx) => {
      ctx.logger.info('inside the task');
      ctx.orderDone('PO-9', 'skipped', 'multi_ban');
      ctx.orderDone('PO-10', 'failed', 'boom');
    }, logger));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line.run_id).toBe(report.runId);
    expect(lines.map((l) => l.message)).toEqual(['task begin', 'inside the task', 'order done', 'order done', 'task end']);
    expect(lines[0]).toMatchObject({ input: { trigger: 'cli', only_po_number: 'PO-9' } });
    expect(report).toMatchObject({ status: 'partial', counts: { ok: 0, skipped: 1, failed: 1 }, reasons: { multi_ban: 1, boom: 1 } });
  });

  it('snapshots one runtime_config version for the whole run', async () => {
    await store.runtimeConfig.save({ jobs: { push_to_lingxing: { size: 7 } } }, { expectedVersion: null, updatedBy: 'test' });
    let seen: number[] = [];
    const report = await runTask('push_to_lingxing', { trigger: 'manual' }, deps(async (ctx) => {
      seen.push(ctx.size);
      await store.runtimeConfig.save({ jobs: { push_to_lingxing: { size: 9 } } }, { expectedVersion: 1, updatedBy: 'test' });
      seen.push(ctx.size);
    }));
    expect(seen).toEqual([7, 7]);
    expect(report.configVersion).toBe(1);
    seen = [];
    await runTask('push_to_lingxing', { trigger: 'manual' }, deps(async (ctx) => void seen.push(ctx.size)));
    expect(seen).toEqual([9]);
  });

  it('reports a thrown task error as failed without throwing, and refuses an empty window', async () => {
    const failed = await runTask('pull_dsco_orders', { trigger: 'schedule' }, deps(async () => {
      throw new Error('database is down');
    }));
    expect(failed).toMatchObject({ status: 'failed', error: 'database is down' });
    const t = new Date('2026-01-01T00:00:00Z');
    const refused = await runTask('check_orders', { trigger: 'manual', window: { start: t, end: t } }, deps(async () => undefined));
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/window/);
  });

  it('fails the run with the config problems when the stored runtime_config is invalid', async () => {
    const latest = await store.runtimeConfig.latest();
    await store.runtimeConfig.save({ jobs: { nope: {} } }, { expectedVersion: latest!.version, updatedBy: 'test' });
    const report = await runTask('push_to_lingxing', { trigger: 'manual' }, deps(async () => undefined));
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/jobs\.nope: unknown task/);
  });
});
