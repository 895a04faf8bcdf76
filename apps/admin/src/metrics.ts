import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import { readCallCounts } from '@dlsync/services';
import type { Report } from '@dlsync/runner';
import type { AdminContext } from './context.js';

export interface AdminMetrics {
  registry: Registry;
  /** A job of `task` completed with this Report (QueueEvents 'completed'). */
  jobCompleted(task: TaskName, report: Report | undefined): void;
  /** A job of `task` failed for good (QueueEvents 'failed'). */
  jobFailed(task: TaskName): void;
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Lingxing in-flight buckets: sorted sets `<prefix>:inflight:<appId>:<endpoint>` of leases
 * scored by expiry (ms, Redis clock); leases past expiry are dead and do not count.
 */
export async function readInflight(redis: Redis, prefix: string): Promise<Map<string, number>> {
  const head = `${prefix}:inflight:`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(head)}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const byEndpoint = new Map<string, number>();
  if (keys.length === 0) return byEndpoint;
  const [seconds, micros] = await redis.time();
  const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const counts = await Promise.all(keys.map((key) => redis.zcount(key, `(${nowMs}`, '+inf')));
  keys.forEach((key, i) => {
    const rest = key.slice(head.length);
    const endpoint = rest.slice(rest.indexOf(':') + 1);
    byEndpoint.set(endpoint, (byEndpoint.get(endpoint) ?? 0) + (counts[i] ?? 0));
  });
  return byEndpoint;
}

/**
 * One registry per server. Job counters and the duration histogram count what this process saw
 * through QueueEvents since it started; the gauges and remote call totals are read fleet-wide
 * (Postgres, Redis) at each scrape.
 */
export function makeAdminMetrics(ctx: Pick<AdminContext, 'store' | 'redis' | 'queues' | 'prefix'>): AdminMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const completed = new Counter({
    name: 'dlsync_jobs_completed_total',
    help: 'Task jobs completed, seen by this admin process',
    labelNames: ['task', 'status'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'dlsync_jobs_failed_total',
    help: 'Task jobs failed after their last attempt, seen by this admin process',
    labelNames: ['task'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dlsync_run_duration_seconds',
    help: 'Duration of completed task runs (Report.durationMs)',
    labelNames: ['task', 'status'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  for (const task of TASK_NAMES) failed.inc({ task }, 0);

  new Gauge({
    name: 'dlsync_queue_jobs',
    help: 'Jobs per task queue and state (retained jobs for completed/failed)',
    labelNames: ['task', 'state'] as const,
    registers: [registry],
    async collect() {
      const all = await Promise.all(TASK_NAMES.map((t) => ctx.queues[t].getJobCounts(...JOB_STATES)));
      this.reset();
      TASK_NAMES.forEach((task, i) => {
        for (const state of JOB_STATES) this.set({ task, state }, all[i]?.[state] ?? 0);
      });
    },
  });

  new Gauge({
    name: 'dlsync_orders',
    help: 'Orders per status (1 pulled, 2 in Lingxing, 3 acknowledged, 4 shipped, 5 done, 6 cancelled)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await ctx.store.orders.countByStatus();
      this.reset();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });

  // Fleet-wide totals kept in Redis by every process: monotonic, so counters, refreshed per scrape.
  new Counter({
    name: 'dlsync_remote_calls_total',
    help: 'Remote call attempts per service, endpoint and outcome (ok, error), whole fleet',
    labelNames: ['service', 'endpoint', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const counts = await readCallCounts(ctx.redis, ctx.prefix);
      this.reset();
      for (const c of counts) {
        this.inc({ service: c.service, endpoint: c.endpoint, outcome: 'ok' }, c.ok);
        this.inc({ service: c.service, endpoint: c.endpoint, outcome: 'error' }, c.error);
      }
    },
  });
  new Gauge({
    name: 'dlsync_lingxing_inflight',
    help: 'Lingxing bucket slots in use per endpoint, whole fleet',
    labelNames: ['endpoint'] as const,
    registers: [registry],
    async collect() {
      const inflight = await readInflight(ctx.redis, ctx.prefix);
      this.reset();
      for (const [endpoint, n] of inflight) this.set({ endpoint }, n);
    },
  });

  return {
    registry,
    jobCompleted(task, report) {
      const status = report?.status ?? 'unknown';
      completed.inc({ task, status });
      if (report && Number.isFinite(report.durationMs)) duration.observe({ task, status }, report.durationMs / 1000);
    },
    jobFailed(task) {
      failed.inc({ task });
    },
  };
}
