import { TASK_NAMES, type TaskName } from '@dlsync/config';
import { startTaskWorkers } from '@dlsync/queue';
import { assertPoolBudget } from '@dlsync/runner';
import type { Services } from '@dlsync/services';
import { startHealthServer, type Health, type HealthServer } from './health-server.js';

export interface WorkerAppOptions {
  services: Services;
  /** Queues to serve. (Default: every task) */
  tasks?: TaskName[];
  /** Port of `GET /healthz`; omitted = no health endpoint. */
  port?: number;
  /** Listen address of the health endpoint. (Default: `0.0.0.0`) */
  host?: string;
  /** On close, how long a running job may take to finish before it is aborted. (Default: 30000) */
  shutdownGraceMs?: number;
}

export interface WorkerApp {
  tasks: TaskName[];
  /** URL of the health endpoint when a port was given. */
  healthUrl?: string;
  health(): Health;
  /** Finishes (or hands back) the current jobs, then stops the health endpoint. */
  close(): Promise<void>;
}

/**
 * One BullMQ worker per served task queue; any number of these may run on any number of
 * machines, since every queue has a global concurrency of 1 and each run takes the task's
 * advisory lock.
 */
export async function startWorker(options: WorkerAppOptions): Promise<WorkerApp> {
  const { services } = options;
  const tasks = options.tasks ?? [...TASK_NAMES];
  assertPoolBudget(services.store.pool.options.max ?? 10, tasks.length);
  const workers = startTaskWorkers({
    connection: services.queueConnection,
    prefix: services.prefix,
    tasks,
    runner: services.runner,
    logger: services.logger,
    recorder: services.runRecorder,
    ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
  });
  let closing = false;
  const health = (): Health => {
    const running = workers.workers.filter((w) => w.isRunning()).map((w) => w.name);
    const redis = services.queueConnection.status;
    return { ok: !closing && redis === 'ready' && running.length === tasks.length, closing, redis, tasks, running };
  };
  let server: HealthServer | undefined;
  try {
    // "started" should mean connected: a bad Redis URL fails here instead of looking healthy.
    await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
    if (options.port !== undefined) {
      server = await startHealthServer({ port: options.port, ...(options.host ? { host: options.host } : {}), check: health });
    }
  } catch (err) {
    await workers.close();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    tasks,
    ...(server ? { healthUrl: server.url } : {}),
    health,
    close() {
      closing = true;
      closed ??= (async () => {
        await workers.close();
        await server?.close();
      })();
      return closed;
    },
  };
}
