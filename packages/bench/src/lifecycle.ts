import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { parseRuntimeConfig, type TaskName } from '@dlsync/config';
import type { Infra } from '@dlsync/infra';
import { closeTaskQueues, enqueue, makeRedisConnection, makeTaskQueues, type TaskQueues } from '@dlsync/queue';
import { readCallCounts } from '@dlsync/services';
import { countOpenWriteKeys, DSCO_ORDERS_STREAM, makeStore, type Store } from '@dlsync/store';
import { ACK_KIND, INVOICE_KIND, SHIPMENT_KIND } from '@dlsync/tasks';
import { benchEnvConfig, envVarsOf, makeBenchDatabase, randomPrefix } from './bench-env.js';
import { BENCH_FULFILMENT, startBenchSandbox, steadyStateWatermark } from './bench-sandbox.js';
import { markFleet, startFleet, stopFleet } from './fleet.js';
import { heapCapArgs } from './image-heap.js';
import { summarise, type CpuFigures, type LifecycleResult } from './lifecycle-result.js';
import type { CallCounts } from './lower-bound.js';
import { deleteKeys } from './redis-keys.js';
import type { RunSpans, TimelineSample } from './timeline-svg.js';

export type { LifecycleResult } from './lifecycle-result.js';

export interface LifecycleOptions {
  orders: number;
  /** Latency the sandbox adds to every call. (Default: 50) */
  latencyMs: number;
  /** DSCO applies async writes this long after accepting them. (Default: 500) */
  applyDelayMs: number;
  /** Worker processes. (Default: 2) */
  workers: number;
  /** Orders per run of push/ack/ship/invoice. (Default: 1000) */
  runSize: number;
  /** Give up after this long. (Default: 900000) */
  timeoutMs: number;
  /** Old-space cap of every dlsync process, MiB; 0 = V8's default. (Default: IMAGE_HEAP_CAP_MB, the image's) */
  heapMb: number;
}

/**
 * The stage a task works on: its input status (pull has none), the kind of write it settles,
 * and how long a row must have been at its input before the stage can act on it.
 */
const STAGES: { task: TaskName; input?: 1 | 2 | 3 | 4; writes?: string; readyAfterMs?: number }[] = [
  { task: 'pull_dsco_orders' },
  { task: 'push_to_lingxing', input: 1 },
  // Lingxing makes an order ready to acknowledge a while after push created it (push creates,
  // then moves the row to 2): a row younger than that only waits, and a batch of them would
  // leave its young rows to one more acknowledgement.
  { task: 'ack_to_dsco', input: 2, writes: ACK_KIND.kind, readyAfterMs: BENCH_FULFILMENT.toShipAfterSeconds * 1000 },
  { task: 'ship_to_dsco', input: 3, writes: SHIPMENT_KIND.kind },
  { task: 'invoice_to_dsco', input: 4, writes: INVOICE_KIND.kind },
];

/**
 * How often the driver records orders per status and call counts for the picture, and how long
 * its loop pauses between decisions. The driver's reads are Postgres time on the 2 cores it
 * measures and grow with the table (a count of every status: ~16 ms at 10,000 rows, ~145 ms at
 * 100,000), so a large run samples less often (every 2.5 s at 100,000 orders) and polls every
 * 50 ms instead of 20; either still sees a stage go idle within a small part of one run.
 */
const sampleEveryMs = (orders: number): number => Math.max(1000, orders / 40);
const loopPauseMs = (orders: number): number => (orders > 20_000 ? 50 : 20);

/** Status keys of the picture, in pipeline order. */
export const TIMELINE_STATUSES = ['not pulled', '1 pulled', '2 in Lingxing', '3 acknowledged', '4 shipped', '5 invoiced'] as const;

const sumCounts = (counts: Record<number, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** Whether any row has still to reach 5 (a few index probes, not a count of the table). */
async function anyUnfinished(store: Store): Promise<boolean> {
  for (const status of [1, 2, 3, 4] as const) if ((await store.orders.countAtStatus(status, 1)) > 0) return true;
  return false;
}

async function idle(queues: TaskQueues, task: TaskName): Promise<boolean> {
  const c = await queues[task].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0);
}

async function callCounts(redis: Redis, prefix: string): Promise<{ calls: CallCounts; errors: CallCounts }> {
  const calls: CallCounts = {};
  const errors: CallCounts = {};
  for (const c of await readCallCounts(redis, prefix)) {
    calls[`${c.service} ${c.endpoint}`] = c.ok + c.error;
    if (c.error) errors[`${c.service} ${c.endpoint}`] = c.error;
  }
  return { calls, errors };
}

function timelineStatus(counts: Record<1 | 2 | 3 | 4 | 5 | 6, number>, orders: number): Record<string, number> {
  const stored = counts[1] + counts[2] + counts[3] + counts[4] + counts[5] + counts[6];
  const [notPulled, s1, s2, s3, s4, s5] = TIMELINE_STATUSES;
  return { [notPulled]: orders - stored, [s1]: counts[1], [s2]: counts[2], [s3]: counts[3], [s4]: counts[4], [s5]: counts[5] };
}

/**
 * The whole lifecycle of `orders` orders (pull → push → ack → ship → invoice) through real
 * worker processes (plus the scheduler, for its share of CPU) against the sandbox with its real
 * buckets, DSCO's per-endpoint rate limits, injected latency and apply delay. The driver
 * enqueues a stage's next run as soon as its queue is idle and a full batch waits (or nothing
 * upstream can add more), so stages overlap the way cron-driven runs do, without cron's idle gaps.
 */
export async function measureLifecycle(infra: Infra, options: LifecycleOptions): Promise<LifecycleResult> {
  const { orders, latencyMs, applyDelayMs } = options;
  const { sandbox, seededFrom } = await startBenchSandbox({ orders, latencyMs, applyDelayMs });
  const db = await makeBenchDatabase(infra);
  const prefix = randomPrefix();
  const env = benchEnvConfig(db.url, infra.redisUrl, prefix, sandbox);
  const store: Store = makeStore({ databaseUrl: db.url, poolMax: 3 });
  const connection = makeRedisConnection(infra.redisUrl);
  const redis = new Redis(infra.redisUrl);
  const queues = await makeTaskQueues({ connection, prefix });
  // Pull reads the day's window in one run (a run capped by its size reads the window again from
  // the start, so a capped pull would re-read its first page); it stores page by page, and push
  // starts on the first stored page. The other stages work in runs of runSize.
  const jobs = Object.fromEntries(STAGES.map((s) => [s.task, { size: s.input === undefined ? 2 * orders : options.runSize }]));
  await store.runtimeConfig.save(parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping(), jobs }), {
    expectedVersion: null,
    updatedBy: 'bench',
  });
  await store.watermarks.advance(DSCO_ORDERS_STREAM, steadyStateWatermark(seededFrom));
  const fleet = startFleet(options.workers, envVarsOf(env), heapCapArgs(options.heapMb));
  const runs: Record<string, number> = {};
  const samples: TimelineSample[] = [];
  let stopped = false;
  try {
    // Wait until every worker process has attached to the queues.
    const readyBy = Date.now() + 60_000;
    while ((await queues.invoice_to_dsco.getWorkers()).length < options.workers) {
      if (Date.now() > readyBy) throw new Error('workers did not start within 60 s');
      await sleep(100);
    }
    markFleet(fleet);
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    let nextSample = 0;
    // The loop counts only up to what a decision needs, and the picture samples once a second,
    // so the driver does not take a share of the 2 cores it measures.
    let pulled = false;
    while (performance.now() - started < options.timeoutMs) {
      const t = performance.now() - started;
      if (t >= nextSample) {
        samples.push({ t: t / 1000, status: timelineStatus(await store.orders.countByStatus(), orders), calls: (await callCounts(redis, prefix)).calls });
        nextSample = t + sampleEveryMs(orders);
      }
      if (pulled && !(await anyUnfinished(store))) break;
      // A stage runs when its queue is idle and it has a full batch, or when nothing upstream
      // can add to its input any more — like a cron that finds a backlog, without idle gaps.
      let upstreamBusy = false;
      for (const stage of STAGES) {
        const isIdle = await idle(queues, stage.task);
        // A stage whose run is still queued or going cannot take another: nothing to count.
        if (!isIdle) {
          upstreamBusy = true;
          continue;
        }
        let pending = 0;
        let sendable = 0;
        // Rows the stage can act on now (all of pending, but for a stage that waits on Lingxing).
        let actionable = 0;
        if (stage.input === undefined) {
          // Pull reads the whole window in one run: count what it stored only once it stopped.
          if (!pulled) {
            pending = orders - sumCounts(await store.orders.countByStatus());
            pulled = pending <= 0;
          }
          sendable = pending;
          actionable = pending;
        } else {
          // Rows whose write DSCO may still be applying are not a batch the next run can send:
          // only the rest count towards a full one.
          const open = stage.writes === undefined ? 0 : await countOpenWriteKeys(store.db, stage.writes);
          pending = await store.orders.countAtStatus(stage.input, options.runSize + open);
          actionable =
            stage.readyAfterMs === undefined
              ? pending
              : await store.orders.countAtStatus(stage.input, options.runSize + open, { updatedBefore: new Date(Date.now() - stage.readyAfterMs) });
          sendable = actionable - open;
        }
        const ready = pending > 0 && (sendable >= options.runSize || (!upstreamBusy && actionable === pending));
        upstreamBusy ||= pending > 0;
        if (!ready) continue;
        await enqueue(queues, stage.task, { trigger: 'cli', requestedBy: 'bench' });
        runs[stage.task] = (runs[stage.task] ?? 0) + 1;
      }
      await sleep(loopPauseMs(orders));
    }
    const finalCounts = await store.orders.countByStatus();
    const completed = finalCounts[5];
    samples.push({ t: (performance.now() - started) / 1000, status: timelineStatus(finalCounts, orders), calls: (await callCounts(redis, prefix)).calls });
    const elapsedSeconds = (performance.now() - started) / 1000;
    const parentCpu = process.cpuUsage(cpuStart);
    // The last run may still be writing its report when its rows reach 5: let it finish, so its
    // time and calls are counted (elapsed is already taken).
    const drainBy = Date.now() + 30_000;
    for (const stage of STAGES) while (!(await idle(queues, stage.task)) && Date.now() < drainBy) await sleep(20);
    // Time each task spent running (from the Reports), to see which stage holds the pipeline.
    const runSeconds: Record<string, number> = {};
    const runSpans: RunSpans = {};
    const startedAt = performance.timeOrigin + started;
    for (const stage of STAGES) {
      const done = await queues[stage.task].getCompleted(0, 1000);
      runSeconds[stage.task] = done.reduce((sum, j) => sum + (j.returnvalue?.durationMs ?? 0), 0) / 1000;
      runSpans[stage.task] = done
        .filter((j) => j.processedOn !== undefined && j.finishedOn !== undefined)
        .map((j): [number, number] => [(j.processedOn! - startedAt) / 1000, (j.finishedOn! - startedAt) / 1000])
        .sort((a, b) => a[0] - b[0]);
    }
    const { calls, errors } = await callCounts(redis, prefix);
    stopped = true;
    const usage = await stopFleet(fleet);
    const cpu: CpuFigures = {
      processes: usage.map((u, i) => ({ role: u.role, index: i, ...(u.usage ? { cpuSeconds: u.usage.cpuSeconds, maxRssKb: u.usage.maxRssKb } : {}) })),
      benchParentSeconds: (parentCpu.user + parentCpu.system) / 1e6,
    };
    return summarise({ orders, latencyMs, applyDelayMs, workers: options.workers, heapMb: options.heapMb, elapsedSeconds, completed, calls, errors, runs, runSeconds, runSpans, cpu, samples });
  } finally {
    if (!stopped) await stopFleet(fleet);
    await closeTaskQueues(queues);
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    connection.disconnect();
    await store.close();
    await db.drop();
    await sandbox.close();
  }
}
