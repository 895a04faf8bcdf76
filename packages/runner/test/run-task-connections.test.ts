import net from 'node:net';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { makeStore, type Store } from '@dlsync/store';
import { ConfigError, TASK_NAMES, type TaskName } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import { assertPoolBudget, runTask, type RunnerDeps, type TaskFn, type TaskRegistry } from '@dlsync/runner';

const env = useTestEnv();

function registry(fn: TaskFn): TaskRegistry {
  return Object.fromEntries(TASK_NAMES.map((t) => [t, fn])) as unknown as TaskRegistry;
}

function deps(store: Store, fn: TaskFn): RunnerDeps {
  return { store, dsco: {} as DscoClient, lingxing: {} as LingxingClient, tasks: registry(fn), logger: makeMemoryLogger().logger, platformCode: 10009 };
}

/** Resolves once `n` calls of `arrive` have happened. */
function barrier(n: number): { arrive: () => Promise<void> } {
  let count = 0;
  let open!: () => void;
  const all = new Promise<void>((r) => (open = r));
  return {
    arrive() {
      if (++count === n) open();
      return all;
    },
  };
}

/** A TCP server on a free port that accepts connections and never answers (or drops them at once). */
async function deadServer(mode: 'silent' | 'reset'): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (mode === 'reset') socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://nobody@127.0.0.1:${port}/none`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('runner connection budget', () => {
  it('concurrent runs all complete with a task pool of one connection (locks come from their own pool)', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 1, connectionTimeoutMs: 20_000 });
    try {
      const tasks: TaskName[] = ['push_to_lingxing', 'ack_to_dsco', 'ship_to_dsco', 'invoice_to_dsco'];
      const allLocked = barrier(tasks.length);
      // Every run holds its lock before any of them queries: with the lock taken from the task
      // pool this deadlocks (the one connection is a lock, the other runs wait for it forever).
      const task: TaskFn = async (ctx) => {
        await allLocked.arrive();
        for (let i = 0; i < 3; i++) await ctx.store.orders.countByStatus();
        ctx.orderDone(`PO-${ctx.task}`, 'ok');
      };
      const reports = await Promise.all(tasks.map((t) => runTask(t, { trigger: 'schedule' }, deps(store, task))));
      expect(reports.map((r) => [r.task, r.status, r.counts.ok])).toEqual(tasks.map((t) => [t, 'ok', 1]));
    } finally {
      await store.close();
    }
  });

  it('a run that finds no lock connection within the timeout returns a failed Report', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2, lockPoolMax: 1, connectionTimeoutMs: 300 });
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    try {
      const first = runTask('sync_stock', { trigger: 'schedule' }, deps(store, async () => {
        started();
        await holding;
      }));
      await running;
      const second = await runTask('pull_sku_pair', { trigger: 'schedule' }, deps(store, async () => undefined));
      expect(second.status).toBe('failed');
      expect(second.error).toMatch(/^could not take the task lock: .*timeout/i);
      release();
      expect((await first).status).toBe('ok');
    } finally {
      release();
      await store.close();
    }
  });

  it.each(['silent', 'reset'] as const)('an unreachable database (%s) gives a failed Report, never a throw', async (mode) => {
    const dead = await deadServer(mode);
    const store = makeStore({ databaseUrl: dead.url, connectionTimeoutMs: 300 });
    try {
      const report = await runTask('push_to_lingxing', { trigger: 'schedule' }, deps(store, async () => undefined));
      expect(report).toMatchObject({ task: 'push_to_lingxing', status: 'failed' });
      expect(report.error).toMatch(/^database unavailable: /);
    } finally {
      await store.close();
      await dead.close();
    }
  });
});

describe('assertPoolBudget', () => {
  it('refuses a pool smaller than the runs a process may have at once, naming the key', () => {
    expect(() => assertPoolBudget(8, 8)).not.toThrow();
    let error: unknown;
    try {
      assertPoolBudget(4, 8);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        path: 'postgres.pool_max',
        message: '4 is too small: this process runs up to 8 tasks at once and each needs a connection; set it to at least 8',
      },
    ]);
  });
});

/** A table holding only `pos`, each at status 1. */
async function seedRowsAtOne(store: Store, pos: readonly string[]): Promise<void> {
  await store.pool.query('TRUNCATE dsco_order_sync');
  await store.orders.upsertPulled(
    pos.map((po) => ({
      po_number: po, dsco_order_id: null, dsco_retailer_id: null, dsco_status: 'created', dsco_create_time: 1_750_000_000,
      mskus: null, warehouse_id: null, shipment: null, payload: { poNumber: po }, pulledStatus: 1 as const,
    })),
  );
}

describe('skip reasons on the row', () => {
  it('a per-status task that skips a row records the reason and backs it off; other tasks record nothing', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
    try {
      await seedRowsAtOne(store, ['SK-1', 'SK-2']);
      const skip: TaskFn = async (ctx) => {
        ctx.orderDone('SK-1', 'skipped', 'no store mapping for retailer R9');
        ctx.orderDone('SK-2', 'failed', 'Lingxing order list failed: 500');
      };
      await runTask('push_to_lingxing', { trigger: 'schedule' }, deps(store, skip));
      expect(await store.orders.getByPo('SK-1')).toMatchObject({ attempts: 1, last_error: 'no store mapping for retailer R9' });
      expect(await store.orders.getByPo('SK-2')).toMatchObject({ attempts: 1, last_error: 'Lingxing order list failed: 500' });
      expect((await store.orders.getByPo('SK-1'))!.next_attempt_at).toBeInstanceOf(Date);

      // ack_to_dsco reads status 2: rows at 1 are not its to record.
      await runTask('ack_to_dsco', { trigger: 'schedule' }, deps(store, skip));
      await runTask('pull_dsco_orders', { trigger: 'schedule' }, deps(store, skip));
      expect(await store.orders.getByPo('SK-1')).toMatchObject({ attempts: 1 });
    } finally {
      await store.close();
    }
  });
});

describe('orders waiting on a write in flight', () => {
  it('are reported waiting like any wait, but their rows get no waiting delay', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
    try {
      await seedRowsAtOne(store, ['IF-1', 'IF-2']);
      const report = await runTask('push_to_lingxing', { trigger: 'schedule' }, deps(store, async (ctx) => {
        ctx.orderInFlight('IF-1', 'its acknowledgement was sent to DSCO; the next run reads the change log');
        ctx.orderDone('IF-2', 'waiting', 'Lingxing has not shipped it yet');
      }));
      expect(report).toMatchObject({ status: 'ok', counts: { ok: 0, skipped: 0, failed: 0, waiting: 2 } });
      expect(report.items.map((i) => [i.po_number, i.result])).toEqual([['IF-1', 'waiting'], ['IF-2', 'waiting']]);
      expect(await store.orders.getByPo('IF-1')).toMatchObject({ attempts: 0, next_attempt_at: null, last_error: null });
      expect((await store.orders.getByPo('IF-2'))!.next_attempt_at).toBeInstanceOf(Date);
    } finally {
      await store.close();
    }
  });
});

describe('a stored cron the scheduler refuses', () => {
  it('does not stop task runs: the run uses the rest of the config and logs the cron problem', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
    const mem = makeMemoryLogger();
    try {
      const latest = await store.runtimeConfig.latest();
      // As saved before crons were validated: stored without the validator.
      await store.runtimeConfig.save(
        { jobs: { pull_dsco_orders: { enabled: true, cron: '99 * * * *' }, push_to_lingxing: { size: 7 } } },
        { expectedVersion: latest?.version ?? null, updatedBy: 'test' },
      );
      let size = 0;
      const report = await runTask('push_to_lingxing', { trigger: 'schedule' }, { ...deps(store, async (ctx) => void (size = ctx.size)), logger: mem.logger });
      expect(report.status).toBe('ok');
      expect(size).toBe(7);
      expect(mem.lines.find((l) => l.message === 'runtime_config has crons the scheduler refuses')).toMatchObject({
        problems: ['jobs.pull_dsco_orders.cron: invalid cron "99 * * * *": Constraint error, got value 99 expected range 0-59'],
      });
    } finally {
      await store.close();
    }
  });
});
