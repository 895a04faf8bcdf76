import { QueueEvents } from 'bullmq';
import { TASK_NAMES } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import type { LingxingClient } from '@dlsync/lingxing';
import { makeMemoryLogger, makeSilentLogger } from '@dlsync/logger';
import { enqueue, makeRedisConnection, startTaskWorkers } from '@dlsync/queue';
import type { TaskFn, TaskRegistry } from '@dlsync/runner';
import { makeRedisCallRecorder, makeRedisRunRecorder } from '@dlsync/services';
import { ALICE, makeAdminFixture, seedOrders, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();

/** Skips two orders (one reason twice), handles one. */
const task: TaskFn = async (ctx) => {
  ctx.orderDone('PO-S1', 'skipped', 'unmapped sku');
  ctx.orderDone('PO-S2', 'skipped', 'unmapped sku');
  ctx.orderDone('PO-OK', 'ok');
};
const registry = Object.fromEntries(TASK_NAMES.map((t) => [t, task])) as unknown as TaskRegistry;

const metricsOf = async (fx: AdminFixture) => (await fx.request('/metrics', { headers: ALICE })).body;

describe('fleet-wide metrics', () => {
  it('come from Redis and Postgres: a restarted (new) admin over the same stores shows the same figures', async () => {
    const memory = makeMemoryLogger('debug');
    const first = await makeAdminFixture(testEnv, { logger: memory.logger });
    let second: AdminFixture | undefined;
    const workerConnection = makeRedisConnection(testEnv.redisUrl);
    const workers = startTaskWorkers({
      connection: workerConnection,
      prefix: first.prefix,
      tasks: ['push_to_lingxing'],
      logger: makeSilentLogger(),
      recorder: makeRedisRunRecorder(first.redis, first.prefix),
      runner: { store: first.store, dsco: {} as DscoClient, lingxing: {} as LingxingClient, platformCode: 1, logger: makeSilentLogger(), tasks: registry },
    });
    const eventsConnection = makeRedisConnection(testEnv.redisUrl);
    const events = new QueueEvents('push_to_lingxing', { connection: eventsConnection, prefix: first.prefix });
    try {
      await events.waitUntilReady();
      const before = Date.now();
      const job = await enqueue(first.queues, 'push_to_lingxing', { trigger: 'manual' });
      await job.waitUntilFinished(events, 20_000);
      // What a DSCO client reports for a rate-limited call and a refused connection.
      const onCall = makeRedisCallRecorder(first.redis, first.prefix);
      onCall({ service: 'dsco', endpoint: '/order/page', outcome: 'error', code: 429, durationMs: 5, attempt: 1 });
      onCall({ service: 'dsco', endpoint: '/order/page', outcome: 'error', durationMs: 5, attempt: 2 });
      onCall({ service: 'dsco', endpoint: '/order/page', outcome: 'ok', durationMs: 5, attempt: 3 });
      await seedOrders(first.store, [{ po: 'PO-DUE', status: 1 }, { po: 'PO-WAIT', status: 1 }]);
      await first.store.db.updateTable('dsco_order_sync').set({ next_attempt_at: new Date(Date.now() + 3_600_000) }).where('po_number', '=', 'PO-WAIT').execute();

      const wrong = await first.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user: 'alice', password: 'not-her-password', next: '/' }).toString(),
      });
      expect(wrong.status).toBe(401);
      const logged = memory.lines.filter((l) => l.message === 'login failed');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ user: 'alice', address: '127.0.0.1' });
      expect(JSON.stringify(logged[0])).not.toContain('not-her-password');

      const expected = (body: string) => {
        const last = /^dlsync_task_last_success_timestamp_seconds\{task="push_to_lingxing"\} (\S+)$/m.exec(body);
        expect(Number(last?.[1]) * 1000).toBeGreaterThanOrEqual(before - 1000);
        expect(body).toContain('dlsync_task_runs_total{task="push_to_lingxing",status="ok"} 1');
        expect(body).toContain('dlsync_orders_skipped_total{task="push_to_lingxing",reason="unmapped sku"} 2');
        expect(body).toContain('dlsync_remote_call_errors_total{service="dsco",endpoint="/order/page",code="429"} 1');
        expect(body).toContain('dlsync_remote_call_errors_total{service="dsco",endpoint="/order/page",code="none"} 1');
        expect(body).toContain('dlsync_orders_pending{status="1",state="due"} 1');
        expect(body).toContain('dlsync_orders_pending{status="1",state="backing_off"} 1');
        expect(body).toMatch(/^dlsync_login_failures_total 1$/m);
        return last?.[1];
      };
      const seenByFirst = expected(await metricsOf(first));

      await first.close();
      second = await makeAdminFixture(testEnv);
      // The new process never saw the job or the login: the figures are the fleet's, not its memory.
      expect(expected(await metricsOf(second))).toBe(seenByFirst);
    } finally {
      await events.close();
      await workers.close();
      workerConnection.disconnect();
      eventsConnection.disconnect();
      await second?.close();
      await first.close().catch(() => undefined);
    }
  }, 60_000);
});
