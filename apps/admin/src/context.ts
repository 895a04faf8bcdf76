import type { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EnvConfig, TaskName } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { Logger } from '@dlsync/logger';
import type { TaskQueues } from '@dlsync/queue';
import type { Store } from '@dlsync/store';

/** The parts of `@dlsync/services` the admin uses; `makeServices()` output fits too. */
export interface AdminServices {
  store: Store;
  /** For metrics reads (call counters, in-flight buckets) and /readyz. */
  redis: Redis;
  /** BullMQ connection (`maxRetriesPerRequest: null`); QueueEvents duplicate it. */
  queueConnection: Redis;
  /** BullMQ prefix and first segment of every other key (`redis.prefix`). */
  prefix: string;
  /** On the same Redis as the workers' (shared DSCO limits); absent without `auth.dsco.*`: live stock reads are off. */
  dsco?: DscoClient;
}

/** What every route handler reads. */
export interface AdminContext extends AdminServices {
  env: EnvConfig;
  queues: TaskQueues;
  events: Record<TaskName, QueueEvents>;
  logger: Logger;
  now: () => Date;
  /** Longest a `wait: true` run request waits for its job. */
  waitTimeoutMs: number;
}
