import type { Redis } from 'ioredis';
import { TASK_NAMES } from '@dlsync/config';
import { useTestEnv, type TestEnv } from '@dlsync/infra/testing';
import type { TaskFn, TaskRegistry } from '@dlsync/runner';
import { makeStore, type Store } from '@dlsync/store';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues, type TaskQueues } from '@dlsync/queue';

/** What a queue test file shares: its database and Redis prefix, a store, and the task queues. */
export interface QueueFixture {
  env: TestEnv;
  store: Store;
  connection: Redis;
  queues: TaskQueues;
  /** The file's Redis key prefix as BullMQ takes it (no trailing colon). */
  prefix: string;
}

/** Opens the fixture before the file's tests and closes it after; read its fields inside tests or hooks. */
export function useQueueFixture(): QueueFixture {
  const env = useTestEnv();
  const fx = { env } as QueueFixture;
  beforeAll(async () => {
    fx.prefix = env.redisPrefix.replace(/:$/, '');
    fx.store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 4 });
    fx.connection = makeRedisConnection(env.redisUrl);
    fx.queues = await makeTaskQueues({ connection: fx.connection, prefix: fx.prefix });
  });
  afterAll(async () => {
    await closeTaskQueues(fx.queues);
    fx.connection.disconnect();
    await fx.store.close();
  });
  return fx;
}

/** A registry that runs `fn` for every task. */
export const registryOf = (fn: TaskFn): TaskRegistry => Object.fromEntries(TASK_NAMES.map((t) => [t, fn])) as unknown as TaskRegistry;
