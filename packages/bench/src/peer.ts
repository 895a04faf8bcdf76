import { Redis } from 'ioredis';
import { parseRuntimeConfig } from '@dlsync/config';
import type { Infra } from '@dlsync/infra';
import { DEFAULT_BUCKETS } from '@dlsync/lingxing';
import { readCallCounts } from '@dlsync/services';
import { makeStore } from '@dlsync/store';
import { benchEnvConfig, envVarsOf, makeBenchDatabase, randomPrefix } from './bench-env.js';
import { startBenchSandbox, steadyStateWatermark } from './bench-sandbox.js';
import { runJsonChild } from './child.js';
import { benchLimits } from './bench-limits.js';
import { lowerBound, type CallCounts, type LowerBound } from './lower-bound.js';
import type { PeerResult } from './peer-design.js';
import { deleteKeys } from './redis-keys.js';

export interface PeerMeasurement extends PeerResult {
  orders: number;
  calls: CallCounts;
  callsPerOrder: Record<string, number>;
  /** Calls to Lingxing endpoints whose in-flight bucket holds one call (the scarcest resource). */
  bucketOneCalls: number;
  /** What the limits force for the calls this design makes: it is slow by design, not by our driver. */
  bound: LowerBound;
  cpuSeconds: number;
  maxRssKb: number;
}

/** Calls to the Lingxing endpoints with a bucket of 1. */
export function bucketOneCalls(calls: CallCounts): number {
  const single = new Set(Object.entries(DEFAULT_BUCKETS).filter(([, n]) => n === 1).map(([path]) => `lingxing ${path}`));
  return Object.entries(calls).reduce((s, [k, n]) => s + (single.has(k) ? n : 0), 0);
}

/**
 * The original per-order design (peer-design.ts) over `orders` orders, in a child process of
 * the bench against a sandbox set up exactly as ours (same seed, limits, latency, apply delay).
 */
export async function measurePeer(
  infra: Infra,
  o: { orders: number; latencyMs: number; applyDelayMs: number; concurrency: number; timeoutMs: number },
): Promise<PeerMeasurement> {
  const { sandbox, seededFrom } = await startBenchSandbox(o);
  const db = await makeBenchDatabase(infra);
  const prefix = randomPrefix();
  const redis = new Redis(infra.redisUrl);
  const store = makeStore({ databaseUrl: db.url, poolMax: 1 });
  try {
    await store.runtimeConfig.save(parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping() }), { expectedVersion: null, updatedBy: 'bench' });
    const env = benchEnvConfig(db.url, infra.redisUrl, prefix, sandbox);
    const result = await runJsonChild<PeerResult & { cpuSeconds: number; maxRssKb: number }>('packages/bench/src/peer-child.ts', {
      ...envVarsOf(env),
      BENCH_PEER_ORDERS: String(o.orders),
      BENCH_PEER_CONCURRENCY: String(o.concurrency),
      BENCH_PEER_TIMEOUT_MS: String(o.timeoutMs),
      BENCH_PEER_CREATED_SINCE: steadyStateWatermark(seededFrom).toISOString(),
    });
    const calls: CallCounts = {};
    for (const c of await readCallCounts(redis, prefix)) calls[`${c.service} ${c.endpoint}`] = c.ok + c.error;
    return {
      ...result,
      orders: o.orders,
      calls,
      callsPerOrder: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / o.orders])),
      bucketOneCalls: bucketOneCalls(calls),
      bound: lowerBound(calls, benchLimits(o.latencyMs)),
    };
  } finally {
    await store.close();
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    await db.drop();
    await sandbox.close();
  }
}
