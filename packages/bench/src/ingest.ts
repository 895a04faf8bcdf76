import { Redis } from 'ioredis';
import type { Infra } from '@dlsync/infra';
import { startSandbox } from '@dlsync/sandbox';
import { DSCO_ORDERS_STREAM, makeStore } from '@dlsync/store';
import { deleteKeys } from './redis-keys.js';
import { benchEnvConfig, envVarsOf, makeBenchDatabase, randomPrefix } from './bench-env.js';
import { runJsonChild } from './child.js';
import { NORMAL_ONLY_MIX, steadyStateWatermark } from './bench-sandbox.js';

export interface PullMeasurement {
  orders: number;
  ms: number;
  ordersPerSecond: number;
  maxRssKb: number;
}

/**
 * Pulls `orders` freshly seeded orders in a child process against a zero-latency sandbox and
 * reports throughput and the child's peak RSS.
 */
export async function measurePull(infra: Infra, orders: number, nodeArgs: string[] = []): Promise<PullMeasurement> {
  const sandbox = await startSandbox({ seed: 42, lingxingTokenLifetimeSeconds: 10 * 365 * 86400 });
  const db = await makeBenchDatabase(infra);
  const prefix = randomPrefix();
  try {
    const seeded = sandbox.world.seedOrders({ count: orders, seed: 42, mix: NORMAL_ONLY_MIX });
    // A running fleet's watermark: the pull reads the day's window, not every week since 2025.
    const store = makeStore({ databaseUrl: db.url, poolMax: 1 });
    await store.watermarks.advance(DSCO_ORDERS_STREAM, steadyStateWatermark(new Date(seeded.createdFrom)));
    await store.close();
    const env = benchEnvConfig(db.url, infra.redisUrl, prefix, sandbox);
    const result = await runJsonChild<{ status: string; error?: string; ok: number; ms: number; maxRssKb: number }>(
      'packages/bench/src/pull-child.ts',
      { ...envVarsOf(env), BENCH_PULL_SIZE: String(orders * 2) },
      nodeArgs,
    );
    if (result.status !== 'ok' || result.ok !== orders) {
      throw new Error(`pull of ${orders} orders ended ${result.status} with ${result.ok} ok${result.error ? `: ${result.error}` : ''}`);
    }
    return { orders, ms: result.ms, ordersPerSecond: (orders / result.ms) * 1000, maxRssKb: result.maxRssKb };
  } finally {
    await sandbox.close();
    await db.drop();
    const redis = new Redis(infra.redisUrl);
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  }
}
