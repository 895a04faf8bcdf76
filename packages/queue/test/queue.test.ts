import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeSilentLogger } from '@dlsync/logger';
import { makeStore, type Store } from '@dlsync/store';
import { parseRuntimeConfig, TASK_NAMES } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import type { TaskFn, TaskRegistry } from '@dlsync/runner';
import {
  assertQueueRegistry,
  closeTaskQueues,
  enqueue,
  listSchedulers,
  makeRedisConnection,
  makeTaskQueues,
  reconcileSchedulers,
  startTaskWorkers,
  type TaskQueues,
} from '@dlsync/queue';

const env = useTestEnv();
let store: Store;
let connection: Redis;
let queues: TaskQueues;
const prefix = () => env.redisPrefix.replace(/:$/, '');

beforeAll(async () => {
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 4 });
  connection = makeRedisConnection(env.redisUrl);
  queues = await makeTaskQueues({ connection, prefix: prefix() });
});
afterAll(async () => {
  await closeTaskQueues(queues);
  connection.disconnect();
  await store.close();
});

function registry(fn: TaskFn): TaskRegistry {
  return Object.fromEntries(TASK_NAMES.map((t) => [t, fn])) as unknown as TaskRegistry;
}

describe('queue layer', () => {
  it('runs an enqueued job through a real BullMQ worker and returns the Report', async () => {
    const seen: string[] = [];
    const workerConnection = makeRedisConnection(env.redisUrl);
    const eventsConnection = makeRedisConnection(env.redisUrl);
    const workers = startTaskWorkers({
      connection: workerConnection,
      prefix: prefix(),
      tasks: ['ack_to_dsco'],
      logger: makeSilentLogger(),
      runner: {
        store,
        dsco: {} as DscoClient,
        lingxing: {} as LingxingClient,
        platformCode: 10009,
        logger: makeSilentLogger(),
        tasks: registry(async (ctx) => {
          seen.push(`${ctx.task}:${ctx.onlyPoNumber}`);
          ctx.progress(50);
          ctx.orderDone(ctx.onlyPoNumber!, 'ok');
        }),
      },
    });
    const events = new QueueEvents('ack_to_dsco', { connection: eventsConnection, prefix: prefix() });
    try {
      const job = await enqueue(queues, 'ack_to_dsco', { trigger: 'manual', onlyPoNumber: 'PO-7' });
      const report = await job.waitUntilFinished(events, 20_000);
      expect(seen).toEqual(['ack_to_dsco:PO-7']);
      expect(report).toMatchObject({ task: 'ack_to_dsco', status: 'ok', counts: { ok: 1 }, trigger: 'manual' });
      expect(report.items).toEqual([{ po_number: 'PO-7', result: 'ok' }]);
    } finally {
      await events.close();
      await workers.close();
      workerConnection.disconnect();
      eventsConnection.disconnect();
    }
  }, 30_000);

  it('rejects bad job input with the field path', async () => {
    await expect(enqueue(queues, 'check_orders', { trigger: 'manual', window: { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' } })).rejects.toThrow(/window/);
    await expect(enqueue(queues, 'check_orders', { trigger: 'nope' as 'manual' })).rejects.toThrow(/trigger/);
  });

  it('reconciles schedulers idempotently, removes disabled tasks and never schedules check_orders', async () => {
    const config = parseRuntimeConfig({
      jobs: {
        pull_dsco_orders: { enabled: true, cron: '*/5 * * * *' },
        push_to_lingxing: { enabled: true, cron: '*/2 * * * *' },
        sync_stock: { enabled: false },
      },
    });
    const first = await reconcileSchedulers(queues, config);
    expect(first.upserted.sort()).toEqual(['pull_dsco_orders', 'push_to_lingxing']);
    const second = await reconcileSchedulers(queues, config);
    expect(second).toEqual({ upserted: [], unchanged: ['pull_dsco_orders', 'push_to_lingxing'], removed: [] });
    expect(await queues.pull_dsco_orders.getJobSchedulersCount()).toBe(1);
    expect((await queues.pull_dsco_orders.getDelayed()).length).toBe(1);

    const changed = parseRuntimeConfig({ jobs: { pull_dsco_orders: { enabled: true, cron: '*/10 * * * *' } } });
    const third = await reconcileSchedulers(queues, changed);
    expect(third.upserted).toEqual(['pull_dsco_orders']);
    expect(third.removed).toEqual(['push_to_lingxing']);
    expect((await listSchedulers(queues)).map((s) => [s.task, s.pattern])).toEqual([['pull_dsco_orders', '*/10 * * * *']]);
    expect(await queues.push_to_lingxing.getJobSchedulersCount()).toBe(0);
    expect(await queues.check_orders.getJobSchedulersCount()).toBe(0);
  });

  it('fails fast when a queue has no task or a task has no queue', () => {
    const tasks = registry(async () => undefined) as unknown as Record<string, unknown>;
    expect(() => assertQueueRegistry(tasks)).not.toThrow();
    const { sync_stock: _drop, ...missing } = tasks;
    expect(() => assertQueueRegistry(missing)).toThrow('queue sync_stock has no task handler');
    expect(() => assertQueueRegistry({ ...tasks, extra_task: () => undefined })).toThrow('task extra_task has no queue');
  });
});
