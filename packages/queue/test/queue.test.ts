import { QueueEvents } from 'bullmq';
import { makeSilentLogger } from '@dlsync/logger';
import { parseRuntimeConfig } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import { assertQueueRegistry, enqueue, listSchedulers, makeRedisConnection, reconcileSchedulers, startTaskWorkers } from '@dlsync/queue';
import { registryOf, useQueueFixture } from './fixtures.js';

const fx = useQueueFixture();

describe('queue layer', () => {
  it('runs an enqueued job through a real BullMQ worker and returns the Report', async () => {
    const seen: string[] = [];
    const workerConnection = makeRedisConnection(fx.env.redisUrl);
    const eventsConnection = makeRedisConnection(fx.env.redisUrl);
    const workers = startTaskWorkers({
      connection: workerConnection,
      prefix: fx.prefix,
      tasks: ['ack_to_dsco'],
      logger: makeSilentLogger(),
      runner: {
        store: fx.store,
        dsco: {} as DscoClient,
        lingxing: {} as LingxingClient,
        platformCode: 10009,
        logger: makeSilentLogger(),
        tasks: registryOf(async (ctx) => {
          seen.push(`${ctx.task}:${ctx.onlyPoNumber}`);
          ctx.progress(50);
          ctx.orderDone(ctx.onlyPoNumber!, 'ok');
        }),
      },
    });
    const events = new QueueEvents('ack_to_dsco', { connection: eventsConnection, prefix: fx.prefix });
    try {
      const job = await enqueue(fx.queues, 'ack_to_dsco', { trigger: 'manual', onlyPoNumber: 'PO-7' });
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
    await expect(enqueue(fx.queues, 'check_orders', { trigger: 'manual', window: { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' } })).rejects.toThrow(/window/);
    await expect(enqueue(fx.queues, 'check_orders', { trigger: 'nope' as 'manual' })).rejects.toThrow(/trigger/);
  });

  it('reconciles schedulers idempotently, removes disabled tasks and never schedules check_orders', async () => {
    const config = parseRuntimeConfig({
      jobs: {
        pull_dsco_orders: { enabled: true, cron: '*/5 * * * *' },
        push_to_lingxing: { enabled: true, cron: '*/2 * * * *' },
        sync_stock: { enabled: false },
      },
    });
    const first = await reconcileSchedulers(fx.queues, config);
    expect(first.upserted.sort()).toEqual(['pull_dsco_orders', 'push_to_lingxing']);
    const second = await reconcileSchedulers(fx.queues, config);
    expect(second).toEqual({ upserted: [], unchanged: ['pull_dsco_orders', 'push_to_lingxing'], removed: [] });
    expect(await fx.queues.pull_dsco_orders.getJobSchedulersCount()).toBe(1);
    expect((await fx.queues.pull_dsco_orders.getDelayed()).length).toBe(1);

    const changed = parseRuntimeConfig({ jobs: { pull_dsco_orders: { enabled: true, cron: '*/10 * * * *' } } });
    const third = await reconcileSchedulers(fx.queues, changed);
    expect(third.upserted).toEqual(['pull_dsco_orders']);
    expect(third.removed).toEqual(['push_to_lingxing']);
    expect((await listSchedulers(fx.queues)).map((s) => [s.task, s.pattern])).toEqual([['pull_dsco_orders', '*/10 * * * *']]);
    expect(await fx.queues.push_to_lingxing.getJobSchedulersCount()).toBe(0);
    expect(await fx.queues.check_orders.getJobSchedulersCount()).toBe(0);
  });

  it('fails fast when a queue has no task or a task has no queue', () => {
    const tasks = registryOf(async () => undefined) as unknown as Record<string, unknown>;
    expect(() => assertQueueRegistry(tasks)).not.toThrow();
    const { sync_stock: _drop, ...missing } = tasks;
    expect(() => assertQueueRegistry(missing)).toThrow('queue sync_stock has no task handler');
    expect(() => assertQueueRegistry({ ...tasks, extra_task: () => undefined })).toThrow('task extra_task has no queue');
  });
});
