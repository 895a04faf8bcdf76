import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import { readCallCounts, readCallErrorCounts, readRunFigures } from '@dlsync/services';
import { describeStatus, ORDER_STATUSES, type Store } from '@dlsync/store';
import type { Report } from '@dlsync/runner';
import type { AdminContext } from './context.js';
import { registerConsoleMetrics } from './console/console-metrics.js';

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

/** Redis counter of failed sign-ins, whole fleet. */
export const loginFailuresKey = (prefix: string): string => `${prefix}:metrics:login_failures`;

/**
 * Logs a failed sign-in (user and client address, never the secret) and counts it in Redis so
 * every admin replica's /metrics shows the fleet's total. Counting never fails a request.
 */
export function makeLoginFailureRecorder(redis: Redis, prefix: string, logger: Logger): (user: string, address: string) => void {
  return (user, address) => {
    logger.warn('login failed', { user, address });
    redis.incr(loginFailuresKey(prefix)).catch(() => undefined);
  };
}

/** Anything with the login throttle's `attempt`: a check that answers undefined is a failed sign-in. */
interface PasswordAttempts {
  attempt<T>(request: { ip: string }, user: string, check: () => Promise<T | undefined>): Promise<T | undefined>;
}

/** Wraps the login throttle so every failed password check is logged and counted. */
export function withFailedLoginsCounted<A extends PasswordAttempts>(throttle: A, record: (user: string, address: string) => void): A {
  return {
    ...throttle,
    async attempt(request, user, check) {
      const principal = await throttle.attempt(request, user, check);
      if (principal === undefined) record(user, request.ip);
      return principal;
    },
  } as A;
}

/** Orders waiting at statuses 1–4, split into due now and backing off (next_attempt_at in the future). */
export async function countPending(store: Pick<Store, 'db'>): Promise<{ status: number; state: 'due' | 'backing_off'; n: number }[]> {
  const { rows } = await sql<{ status: number; backing_off: boolean; n: string }>`
    SELECT status, (next_attempt_at IS NOT NULL AND next_attempt_at > now()) AS backing_off, count(*) AS n
    FROM dsco_order_sync WHERE status BETWEEN 1 AND 4 GROUP BY 1, 2`.execute(store.db);
  return rows.map((r) => ({ status: Number(r.status), state: r.backing_off ? 'backing_off' : 'due', n: Number(r.n) }));
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
    help: `Orders per status (${ORDER_STATUSES.map(describeStatus).join(', ')})`,
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
  // Fleet-wide run figures, written by the workers into Redis (survive admin restarts, same on every replica).
  new Gauge({
    name: 'dlsync_task_last_success_timestamp_seconds',
    help: 'End of the newest successful (ok or partial) run per task, whole fleet; alert on time() minus this',
    labelNames: ['task'] as const,
    registers: [registry],
    async collect() {
      const { lastSuccess } = await readRunFigures(ctx.redis, ctx.prefix);
      this.reset();
      for (const [task, at] of lastSuccess) this.set({ task }, at.getTime() / 1000);
    },
  });
  new Counter({
    name: 'dlsync_task_runs_total',
    help: 'Finished runs per task and status (ok, partial, failed, locked; job_failed = job failed for good), whole fleet',
    labelNames: ['task', 'status'] as const,
    registers: [registry],
    async collect() {
      const { runs } = await readRunFigures(ctx.redis, ctx.prefix);
      this.reset();
      for (const r of runs) this.inc({ task: r.task, status: r.status }, r.count);
    },
  });
  new Counter({
    name: 'dlsync_orders_skipped_total',
    help: 'Orders skipped per task and reason, whole fleet',
    labelNames: ['task', 'reason'] as const,
    registers: [registry],
    async collect() {
      const { skips } = await readRunFigures(ctx.redis, ctx.prefix);
      this.reset();
      for (const s of skips) this.inc({ task: s.task, reason: s.reason }, s.count);
    },
  });
  new Counter({
    name: 'dlsync_remote_call_errors_total',
    help: 'Failed remote call attempts per service, endpoint and error code (HTTP status or API code; none = no answer), whole fleet',
    labelNames: ['service', 'endpoint', 'code'] as const,
    registers: [registry],
    async collect() {
      const errors = await readCallErrorCounts(ctx.redis, ctx.prefix);
      this.reset();
      for (const e of errors) this.inc({ service: e.service, endpoint: e.endpoint, code: e.code }, e.count);
    },
  });
  new Gauge({
    name: 'dlsync_orders_pending',
    help: 'Orders at statuses 1-4 that are due now or backing off after a failure (next_attempt_at ahead)',
    labelNames: ['status', 'state'] as const,
    registers: [registry],
    async collect() {
      const rows = await countPending(ctx.store);
      this.reset();
      for (const status of [1, 2, 3, 4]) for (const state of ['due', 'backing_off']) this.set({ status: String(status), state }, 0);
      for (const r of rows) this.set({ status: String(r.status), state: r.state }, r.n);
    },
  });
  new Counter({
    name: 'dlsync_login_failures_total',
    help: 'Failed admin sign-ins (wrong user or password), whole fleet',
    registers: [registry],
    async collect() {
      const n = Number((await ctx.redis.get(loginFailuresKey(ctx.prefix))) ?? 0);
      this.reset();
      this.inc(n);
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

  registerConsoleMetrics(registry, ctx);

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
