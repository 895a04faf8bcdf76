import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { assertConfigFor, type EnvConfig } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues } from '@dlsync/queue';
import { hasDscoCredentials, makeDscoClientFromEnv, makeRedisCallRecorder } from '@dlsync/services';
import { makeStore } from '@dlsync/store';
import type { AdminServices } from './context.js';
import { makeAdminServer } from './server.js';

export interface RunningAdmin {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  /** Stops accepting requests, finishes in-flight ones, then closes queues, Redis and Postgres. */
  close(): Promise<void>;
}

/**
 * Builds only what the admin uses (Postgres, Redis, queues; a DSCO client only when `auth.dsco.*`
 * is set, for the live stock comparison; never Lingxing) and listens on `admin.host:admin.port`.
 */
export async function startAdmin(options: { env: EnvConfig; logger: Logger; now?: () => Date }): Promise<RunningAdmin> {
  const { env, logger } = options;
  assertConfigFor(env, ['postgres', 'redis', 'admin']);
  const store = makeStore({
    databaseUrl: env.postgres.url!,
    poolMax: env.postgres.pool_max,
    idleTimeoutMs: env.postgres.idle_timeout_ms,
    applicationName: 'dlsync-admin',
    onPoolError: (err) => logger.warn('postgres pool error', { error: err.message }),
  });
  const redis = new Redis(env.redis.url!, { maxRetriesPerRequest: 3 });
  const queueConnection = makeRedisConnection(env.redis.url!);
  for (const r of [redis, queueConnection]) r.on('error', (err: Error) => logger.warn('redis error', { error: err.message }));
  // Only the /stock live comparison calls DSCO (GET /inventory); its calls count in the fleet's metrics.
  const dsco = hasDscoCredentials(env) ? makeDscoClientFromEnv(env, { redis, logger, onCall: makeRedisCallRecorder(redis, env.redis.prefix) }) : undefined;
  const services: AdminServices = { store, redis, queueConnection, prefix: env.redis.prefix, ...(dsco ? { dsco } : {}) };

  const closeServices = async () => {
    await store.close();
    redis.disconnect();
    queueConnection.disconnect();
  };
  let app: FastifyInstance | undefined;
  try {
    const queues = await makeTaskQueues({ connection: queueConnection, prefix: env.redis.prefix });
    app = makeAdminServer({ services, queues, env, logger, ...(options.now ? { now: options.now } : {}) });
    app.addHook('onClose', async () => closeTaskQueues(queues));
    const url = await app.listen({ host: env.admin.host, port: env.admin.port });
    let closing: Promise<void> | undefined;
    const running = app;
    return {
      app,
      url,
      close: () =>
        (closing ??= (async () => {
          await running.close();
          await closeServices();
        })()),
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await closeServices();
    throw err;
  }
}
