import { QueueEvents } from 'bullmq';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import { makeMemoryLogger, makeSilentLogger } from '@dlsync/logger';
import type { TaskFn } from '@dlsync/runner';
import { assertRunRequest, enqueue, makeRedisConnection, RunRequestError, startTaskWorkers } from '@dlsync/queue';
import { registryOf, useQueueFixture } from './fixtures.js';

const fx = useQueueFixture();

/** Workers for one task with a task function of the test's choosing; returns a closer. */
async function serve(task: 'push_to_lingxing' | 'sync_stock', fn: TaskFn, logger = makeSilentLogger()) {
  const workerConnection = makeRedisConnection(fx.env.redisUrl);
  const eventsConnection = makeRedisConnection(fx.env.redisUrl);
  const workers = startTaskWorkers({
    connection: workerConnection,
    prefix: fx.prefix,
    tasks: [task],
    logger,
    runner: { store: fx.store, dsco: {} as DscoClient, lingxing: {} as LingxingClient, platformCode: 1, logger: makeSilentLogger(), tasks: registryOf(fn) },
  });
  const events = new QueueEvents(task, { connection: eventsConnection, prefix: fx.prefix });
  // A job added before the events stream is read would finish unseen.
  await events.waitUntilReady();
  return {
    events,
    async close() {
      await events.close();
      await workers.close();
      workerConnection.disconnect();
      eventsConnection.disconnect();
    },
  };
}

describe('run requests', () => {
  it('refuses check_orders without a window or PO before anything is queued', async () => {
    expect(() => assertRunRequest('check_orders', { trigger: 'manual' })).toThrow(RunRequestError);
    await expect(enqueue(fx.queues, 'check_orders', { trigger: 'manual' })).rejects.toMatchObject({
      name: 'RunRequestError',
      statusCode: 400,
      issues: [{ path: 'window', message: 'check_orders needs a window (start and end) or a PO number' }],
    });
    expect(await fx.queues.check_orders.count()).toBe(0);
    expect(assertRunRequest('check_orders', { trigger: 'manual', onlyPoNumber: 'PO-1' }).onlyPoNumber).toBe('PO-1');
  });

  it('queues one run for a double request while it waits; a different PO queues its own', async () => {
    const a = await enqueue(fx.queues, 'ship_to_dsco', { trigger: 'manual', requestedBy: 'admin:alice' });
    const b = await enqueue(fx.queues, 'ship_to_dsco', { trigger: 'manual', requestedBy: 'admin:bob' });
    expect(b.id).toBe(a.id);
    expect(await fx.queues.ship_to_dsco.getWaitingCount()).toBe(1);
    const other = await enqueue(fx.queues, 'ship_to_dsco', { trigger: 'manual', onlyPoNumber: 'PO-2' });
    expect(other.id).not.toBe(a.id);
    expect(await fx.queues.ship_to_dsco.getWaitingCount()).toBe(2);
  });

  it('fails a run with a conflicting mapping at once (one attempt), and retries an outage with the attempt in the log', async () => {
    const memory = makeMemoryLogger('debug');
    let calls = 0;
    const workers = await serve(
      'sync_stock',
      async (ctx) => {
        calls++;
        if (ctx.onlyPoNumber === 'outage') throw new Error('connect ECONNREFUSED');
        ctx.report.detail('mapping_conflicts', { map: 'warehouse', conflicts: [] });
        throw new Error('mapping.warehouse is not one-to-one: 1 ← A, B');
      },
      memory.logger,
    );
    try {
      const conflict = await fx.queues.sync_stock.add('sync_stock', { trigger: 'manual' }, { attempts: 3, backoff: 0 });
      await expect(conflict.waitUntilFinished(workers.events, 20_000)).rejects.toThrow(/conflicting mappings: mapping.warehouse is not one-to-one/);
      const failed = await fx.queues.sync_stock.getJob(conflict.id!);
      expect(failed?.attemptsMade).toBe(1);
      expect(calls).toBe(1);

      const outage = await fx.queues.sync_stock.add('sync_stock', { trigger: 'manual', onlyPoNumber: 'outage' }, { attempts: 2, backoff: 0 });
      await expect(outage.waitUntilFinished(workers.events, 20_000)).rejects.toThrow(/ECONNREFUSED/);
      expect((await fx.queues.sync_stock.getJob(outage.id!))?.attemptsMade).toBe(2);
      const failures = memory.lines.filter((l) => l.job_id === outage.id && ['job attempt failed, will retry', 'job failed'].includes(String(l.message)));
      expect(failures.map((l) => [l.message, l.task, l.attempt, l.attempts, l.will_retry])).toEqual([
        ['job attempt failed, will retry', 'sync_stock', 1, 2, true],
        ['job failed', 'sync_stock', 2, 2, false],
      ]);
    } finally {
      await workers.close();
    }
  }, 40_000);

  it('fails bad job data at once without running the task', async () => {
    let calls = 0;
    const workers = await serve('push_to_lingxing', async () => void calls++);
    try {
      const job = await fx.queues.push_to_lingxing.add('push_to_lingxing', { trigger: 'manual', window: { start: 'x', end: 'y' } } as never, { attempts: 3, backoff: 0 });
      await expect(job.waitUntilFinished(workers.events, 20_000)).rejects.toThrow(/bad job input: push_to_lingxing: window.start/);
      expect((await fx.queues.push_to_lingxing.getJob(job.id!))?.attemptsMade).toBe(1);
      expect(calls).toBe(0);
    } finally {
      await workers.close();
    }
  }, 30_000);

  // Last: it leaves an invalid runtime_config behind.
  it('fails a run over an invalid runtime_config at once, saying why', async () => {
    let calls = 0;
    const workers = await serve('push_to_lingxing', async () => void calls++);
    try {
      const latest = await fx.store.runtimeConfig.latest();
      await fx.store.runtimeConfig.save({ mapping: { shop: { R1: 'not-a-number' } } }, { expectedVersion: latest?.version ?? null, updatedBy: 'test' });
      const job = await fx.queues.push_to_lingxing.add('push_to_lingxing', { trigger: 'manual' }, { attempts: 3, backoff: 0 });
      await expect(job.waitUntilFinished(workers.events, 20_000)).rejects.toThrow(/^bad configuration: invalid runtime_config: .*mapping\.shop\.R1.*not retried\)$/);
      expect((await fx.queues.push_to_lingxing.getJob(job.id!))?.attemptsMade).toBe(1);
      expect(calls).toBe(0);
    } finally {
      await workers.close();
    }
  }, 30_000);
});
