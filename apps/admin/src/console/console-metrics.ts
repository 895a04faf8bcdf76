import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { EnvConfig } from '@dlsync/config';
import { ATTENTION_KINDS, countAttention, countWritesByState, readConsoleSchema } from '@dlsync/store';
import type { AdminContext } from '../context.js';

/** What the gauges read; the admin server passes its whole context, so env and now are its own. */
export interface ConsoleMetricsContext extends Pick<AdminContext, 'store' | 'redis'> {
  /** For admin.attention_hours. (Default: 24 h) */
  env?: EnvConfig;
  /** (Default: wall clock) */
  now?: () => Date;
}

/** Fails when `promise` has not settled within `ms` (a dependency that hangs is not ready). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The console's gauges, read from Postgres (and Redis) at each scrape: orders needing attention
 * per kind (the /attention page's counts), DSCO write records per state, and whether this admin
 * reaches its dependencies (what /readyz answers), so alerts need nothing but /metrics.
 */
export function registerConsoleMetrics(registry: Registry, ctx: ConsoleMetricsContext): void {
  new Gauge({
    name: 'dlsync_attention_orders',
    help: 'Orders needing an operator per kind (last_error, deadline within admin.attention_hours or past, write, cancelled_after_shipped, changed_after_push, flagged)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const counts = await countAttention(ctx.store.db, { now: ctx.now?.() ?? new Date(), withinHours: ctx.env?.admin.attention_hours ?? 24 });
      this.reset();
      for (const kind of ATTENTION_KINDS) this.set({ kind }, counts[kind]);
    },
  });
  new Gauge({
    name: 'dlsync_orders_past_deadline',
    help: 'Orders at 1-4 whose DSCO deadline for their next step (acknowledge, ship, invoice) has passed',
    registers: [registry],
    async collect() {
      const counts = await countAttention(ctx.store.db, { now: ctx.now?.() ?? new Date(), withinHours: 0, kinds: ['deadline'] });
      this.set(counts.deadline);
    },
  });
  new Gauge({
    name: 'dlsync_dsco_writes',
    help: 'DSCO write records per state (sending, pending, success, failure, in_doubt)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await countWritesByState(ctx.store.db, await readConsoleSchema(ctx.store.db));
      this.reset();
      for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'dlsync_ready',
    help: 'Whether this admin reaches each dependency (1) or not (0), as /readyz checks',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const check = async (p: () => Promise<unknown>) => within(p(), 2_000).then(() => 1, () => 0);
      const [postgres, redis] = await Promise.all([check(() => sql`SELECT 1`.execute(ctx.store.db)), check(() => ctx.redis.ping())]);
      this.set({ dependency: 'postgres' }, postgres);
      this.set({ dependency: 'redis' }, redis);
    },
  });
}
