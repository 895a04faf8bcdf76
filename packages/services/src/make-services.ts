import { Redis } from 'ioredis';
import { assertConfigFor, type EnvConfig } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import { makeLingxingClient, type LingxingClient } from '@dlsync/lingxing';
import type { Logger } from '@dlsync/logger';
import { makeRedisConnection } from '@dlsync/queue';
import { makeCallCounter, type CallObserver, type RemoteCallEvent } from '@dlsync/remote';
import type { RunnerDeps } from '@dlsync/runner';
import { makeStore, type Store } from '@dlsync/store';
import { taskRegistry } from '@dlsync/tasks';
import { makeRedisCallRecorder } from './call-metrics.js';
import { makeDscoClientFromEnv } from './make-dsco-from-env.js';
import { makeRedisRunRecorder, type RunRecorder } from './run-metrics.js';

export interface Services {
  env: EnvConfig;
  logger: Logger;
  store: Store;
  /** For client state (tokens, buckets, rate limits). */
  redis: Redis;
  /** For BullMQ queues and workers (`maxRetriesPerRequest: null`). */
  queueConnection: Redis;
  /** BullMQ prefix, also the first segment of every other key. */
  prefix: string;
  dsco: DscoClient;
  lingxing: LingxingClient;
  /** Remote calls per `service endpoint` made by this process since start (fleet-wide: readCallCounts). */
  callCounts(): Record<string, { ok: number; error: number }>;
  runner: Omit<RunnerDeps, 'signal' | 'onProgress'>;
  /** Fleet-wide run figures (last success, runs, skips) in Redis, for workers to record into. */
  runRecorder: RunRecorder;
  close(): Promise<void>;
}

export interface MakeServicesOptions {
  logger: Logger;
  /** Told about every remote call attempt (metrics). */
  onCall?: CallObserver;
  /** (Default: wall clock) */
  now?: () => Date;
}

/**
 * The composition root every app shares: one store, Redis, the two clients and the runner's
 * dependencies, built from env config. Fails with a ConfigError naming missing keys.
 */
export function makeServices(env: EnvConfig, options: MakeServicesOptions): Services {
  assertConfigFor(env, ['postgres', 'redis', 'dsco', 'lingxing']);
  const logger = options.logger;
  const prefix = env.redis.prefix;
  const counter = makeCallCounter();
  const redis = new Redis(env.redis.url!, { maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => logger.warn('redis error', { error: err.message }));
  const recordInRedis = makeRedisCallRecorder(redis, prefix);
  const onCall = (e: RemoteCallEvent): void => {
    counter.observe(e);
    recordInRedis(e);
    options.onCall?.(e);
  };
  const store = makeStore({
    databaseUrl: env.postgres.url!,
    poolMax: env.postgres.pool_max,
    idleTimeoutMs: env.postgres.idle_timeout_ms,
    onPoolError: (err) => logger.warn('postgres pool error', { error: err.message }),
  });
  const queueConnection = makeRedisConnection(env.redis.url!);
  queueConnection.on('error', (err: Error) => logger.warn('redis error', { error: err.message }));
  const dsco = makeDscoClientFromEnv(env, { redis, logger, onCall });
  const lingxing = makeLingxingClient({
    baseUrl: env.integration.lingxing.base_url,
    appId: env.auth.lingxing.app_id!,
    appSecret: env.auth.lingxing.app_secret!,
    redis,
    keyPrefix: `${prefix}:`,
    timezone: env.integration.lingxing.timezone,
    timeoutMs: env.integration.lingxing.timeout_ms,
    logger,
    onCall,
  });
  let closing: Promise<void> | undefined;
  return {
    env,
    logger,
    store,
    redis,
    queueConnection,
    prefix,
    dsco,
    lingxing,
    callCounts: counter.counts,
    runRecorder: makeRedisRunRecorder(redis, prefix),
    runner: {
      store,
      dsco,
      lingxing,
      tasks: taskRegistry,
      logger,
      platformCode: env.integration.lingxing.platform_code!,
      ...(options.now ? { now: options.now } : {}),
    },
    close() {
      closing ??= (async () => {
        await store.close();
        redis.disconnect();
        queueConnection.disconnect();
      })();
      return closing;
    },
  };
}
