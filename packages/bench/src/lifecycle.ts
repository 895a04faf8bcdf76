import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { parseRuntimeConfig, type TaskName } from '@dlsync/config';
import { DSCO_BODY_BUDGET_BYTES } from '@dlsync/dsco';
import type { Infra } from '@dlsync/infra';
import { DEFAULT_BUCKETS, LINGXING_MAXIMA } from '@dlsync/lingxing';
import { closeTaskQueues, enqueue, makeRedisConnection, makeTaskQueues, type TaskQueues } from '@dlsync/queue';
import { startSandbox } from '@dlsync/sandbox';
import { readCallCounts } from '@dlsync/services';
import { makeStore, type Store } from '@dlsync/store';
import { benchEnvConfig, envVarsOf, makeBenchDatabase, randomPrefix } from './bench-env.js';
import { spawnTs } from './child.js';
import { NORMAL_ONLY_MIX } from './ingest.js';
import { lowerBound, minimalCallCounts, type CallCounts, type Limits, type LowerBound } from './lower-bound.js';
import { deleteKeys } from './redis-keys.js';

export interface LifecycleOptions {
  orders: number;
  /** Latency the sandbox adds to every call. (Default: 50) */
  latencyMs: number;
  /** Worker processes. (Default: 2) */
  workers: number;
  /** Orders per run of push/ack/ship/invoice. (Default: 1000) */
  runSize: number;
  /** Give up after this long. (Default: 600000) */
  timeoutMs: number;
}

export interface LifecycleResult {
  orders: number;
  latencyMs: number;
  workers: number;
  elapsedSeconds: number;
  completed: number;
  calls: CallCounts;
  callsPerOrder: Record<string, number>;
  errors: CallCounts;
  bound: LowerBound;
  ratio: number;
  minimalCalls: CallCounts;
  minimalBound: LowerBound;
  runs: Record<string, number>;
  /** Seconds each task spent running, summed over its runs. */
  runSeconds: Record<string, number>;
}

/** The stage a task works on: its input status (pull has none). */
const STAGES: { task: TaskName; input?: 1 | 2 | 3 | 4 }[] = [
  { task: 'pull_dsco_orders' },
  { task: 'push_to_lingxing', input: 1 },
  { task: 'ack_to_dsco', input: 2 },
  { task: 'ship_to_dsco', input: 3 },
  { task: 'invoice_to_dsco', input: 4 },
];

const LIMITS = (latencyMs: number): Limits => ({
  lingxingBuckets: { ...DEFAULT_BUCKETS },
  dscoPerSecond: 10,
  dscoPerMinute: 500,
  dscoAckPerSecond: 15,
  latencyMs,
});

async function idle(queues: TaskQueues, task: TaskName): Promise<boolean> {
  const c = await queues[task].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0);
}

function startWorkers(count: number, env: Record<string, string>): ChildProcess[] {
  return Array.from({ length: count }, () => spawnTs('apps/worker/src/main.ts', env));
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          const timer = setTimeout(() => w.kill('SIGKILL'), 15_000);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          w.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * The whole lifecycle of `orders` orders (pull → push → ack → ship → invoice) through real
 * worker processes against the sandbox with its real buckets and DSCO rate limits and injected
 * latency. The driver enqueues a stage's next run as soon as its queue is idle and a full batch
 * waits (or nothing upstream can add more), so stages overlap the way cron-driven runs do,
 * without cron's idle gaps.
 */
export async function measureLifecycle(infra: Infra, options: LifecycleOptions): Promise<LifecycleResult> {
  const { orders, latencyMs } = options;
  const sandbox = await startSandbox({
    seed: 7,
    // Fulfilment and token churn are not what this measures.
    lingxingTokenLifetimeSeconds: 10 * 365 * 86400,
    fulfilment: { toShipAfterSeconds: 1, shipAfterSeconds: 2, secondShipmentAfterSeconds: 3 },
    asyncDelayMs: 0,
  });
  sandbox.faults.set({ dsco: { latencyMs }, lingxing: { latencyMs } });
  sandbox.world.seedOrders({ count: orders, seed: 7, mix: NORMAL_ONLY_MIX });
  const db = await makeBenchDatabase(infra);
  const prefix = randomPrefix();
  const env = benchEnvConfig(db.url, infra.redisUrl, prefix, sandbox);
  const store: Store = makeStore({ databaseUrl: db.url, poolMax: 3 });
  const connection = makeRedisConnection(infra.redisUrl);
  const redis = new Redis(infra.redisUrl);
  const queues = await makeTaskQueues({ connection, prefix });
  // Pull too works in runs of runSize, so push can start on the first page instead of waiting
  // for the whole window, as a cron-driven fleet would.
  const jobs = Object.fromEntries(STAGES.map((s) => [s.task, { size: options.runSize }]));
  await store.runtimeConfig.save(parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping(), jobs }), {
    expectedVersion: null,
    updatedBy: 'bench',
  });
  const workers = startWorkers(options.workers, envVarsOf(env));
  const ticker = setInterval(() => sandbox.clock.advance(5_000), 100);
  const runs: Record<string, number> = {};
  try {
    // Wait until every worker process has attached to the queues.
    const readyBy = Date.now() + 60_000;
    while ((await queues.invoice_to_dsco.getWorkers()).length < options.workers) {
      if (Date.now() > readyBy) throw new Error('workers did not start within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = performance.now();
    let completed = 0;
    while (performance.now() - started < options.timeoutMs) {
      const counts = await store.orders.countByStatus();
      completed = counts[5];
      const stored = Object.values(counts).reduce((a, b) => a + b, 0);
      if (completed >= orders) break;
      // A stage runs when its queue is idle and it has a full batch, or when nothing upstream
      // can add to its input any more — like a cron that finds a backlog, without idle gaps.
      let upstreamBusy = false;
      for (const stage of STAGES) {
        const pending = stage.input === undefined ? orders - stored : counts[stage.input];
        const isIdle = await idle(queues, stage.task);
        const ready = pending > 0 && isIdle && (pending >= options.runSize || !upstreamBusy);
        upstreamBusy ||= pending > 0 || !isIdle;
        if (!ready) continue;
        await enqueue(queues, stage.task, { trigger: 'cli', requestedBy: 'bench' });
        runs[stage.task] = (runs[stage.task] ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    // Time each task spent running (from the Reports), to see which stage holds the pipeline.
    const runSeconds: Record<string, number> = {};
    for (const stage of STAGES) {
      const done = await queues[stage.task].getCompleted(0, 1000);
      runSeconds[stage.task] = done.reduce((sum, j) => sum + (j.returnvalue?.durationMs ?? 0), 0) / 1000;
    }
    const callList = await readCallCounts(redis, prefix);
    const calls: CallCounts = {};
    const errors: CallCounts = {};
    for (const c of callList) {
      calls[`${c.service} ${c.endpoint}`] = c.ok + c.error;
      if (c.error) errors[`${c.service} ${c.endpoint}`] = c.error;
    }
    const limits = LIMITS(latencyMs);
    const bound = lowerBound(calls, limits);
    const minimalCalls = minimalCallCounts(orders, {
      dscoPageSize: 1000,
      lingxingListPos: LINGXING_MAXIMA.listOrdersPlatformOrderNos,
      wmsPos: LINGXING_MAXIMA.wmsOrderListPlatformOrderNos,
      lingxingCreate: 200,
      // DSCO bounds bodies by bytes: items per body at typical item sizes (ack ~80 B, shipment/invoice ~400 B).
      dscoAck: Math.floor(DSCO_BODY_BUDGET_BYTES / 80),
      dscoShipments: Math.floor(DSCO_BODY_BUDGET_BYTES / 400),
      dscoInvoices: Math.floor(DSCO_BODY_BUDGET_BYTES / 400),
    });
    return {
      orders,
      latencyMs,
      workers: options.workers,
      elapsedSeconds,
      completed,
      calls,
      callsPerOrder: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / orders])),
      errors,
      bound,
      ratio: bound.seconds > 0 ? elapsedSeconds / bound.seconds : Number.POSITIVE_INFINITY,
      minimalCalls,
      minimalBound: lowerBound(minimalCalls, limits),
      runs,
      runSeconds,
    };
  } finally {
    clearInterval(ticker);
    await stopWorkers(workers);
    await closeTaskQueues(queues);
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    connection.disconnect();
    await store.close();
    await db.drop();
    await sandbox.close();
  }
}
