import { QueueEvents } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { TASK_NAMES, type EnvConfig, type TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import type { TaskQueues } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import { makeAuthenticator } from './auth/authenticator.js';
import { installAuth } from './auth/install-auth.js';
import { makeSessionCodec } from './auth/session.js';
import { registerBullBoard } from './bull-board.js';
import type { AdminContext, AdminServices } from './context.js';
import { installErrorHandler } from './errors.js';
import { makeAdminMetrics } from './metrics.js';
import { registerConfigRoutes } from './routes/config.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerOverviewRoutes } from './routes/overview.js';
import { registerTaskRunRoutes } from './routes/task-runs.js';
import { registerWarehouseSyncRoutes } from './routes/warehouse-sync.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the admin serves (method, URL pattern), for docs and the auth tests. */
    adminRoutes: { method: string; url: string }[];
  }
}

export interface MakeAdminServerOptions {
  services: AdminServices;
  /** Task queues, built by the caller on `services.queueConnection` with `prefix`. */
  queues: TaskQueues;
  env: EnvConfig;
  logger: Logger;
  /** (Default: wall clock) */
  now?: () => Date;
  /** Longest a `wait: true` run request waits for its job. (Default: 120000) */
  waitTimeoutMs?: number;
  /** Lifetime of a login-form session. (Default: 12 h) */
  sessionTtlMs?: number;
  /** HMAC key of session cookies; share one between replicas behind a load balancer. (Default: random per process) */
  sessionSecret?: Buffer;
}

function makeQueueEvents(services: AdminServices): Record<TaskName, QueueEvents> {
  return Object.fromEntries(
    TASK_NAMES.map((task) => [task, new QueueEvents(task, { connection: services.queueConnection, prefix: services.prefix })]),
  ) as Record<TaskName, QueueEvents>;
}

const parseForm = (_request: unknown, body: string, done: (err: Error | null, body?: unknown) => void): void =>
  done(null, Object.fromEntries(new URLSearchParams(body)));

/**
 * The admin HTTP server: Bull Board at /admin/queues, the JSON API under /api, the overview
 * page at /, /metrics, /healthz and /readyz, all behind auth except `admin.public_paths`.
 * Nothing listens until the caller calls `listen()` (or uses `inject()`); `close()` stops the
 * QueueEvents it opened but leaves services and queues to their owner.
 */
export function makeAdminServer(options: MakeAdminServerOptions): FastifyInstance {
  const { services, queues, env, logger } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 1024 * 1024 });
  const events = makeQueueEvents(services);
  const ctx: AdminContext = { ...services, env, queues, events, logger, now, waitTimeoutMs: options.waitTimeoutMs ?? 120_000 };
  const metrics = makeAdminMetrics(ctx);

  for (const task of TASK_NAMES) {
    const e = events[task];
    e.on('completed', ({ returnvalue }) => metrics.jobCompleted(task, returnvalue as unknown as Report | undefined));
    e.on('failed', () => metrics.jobFailed(task));
    e.on('error', (err) => logger.warn('queue events error', { queue: task, error: err.message }));
  }

  app.decorate('adminRoutes', [] as { method: string; url: string }[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') app.adminRoutes.push({ method, url: route.url });
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, parseForm);
  installErrorHandler(app, logger);

  // A configured secret lets every admin replica read the others' login cookies.
  const sessionSecret = options.sessionSecret ?? (options.env.admin.session_secret ? Buffer.from(options.env.admin.session_secret) : undefined);
  const sessions = makeSessionCodec({ ttlMs: options.sessionTtlMs ?? 12 * 3600_000, ...(sessionSecret ? { secret: sessionSecret } : {}) });
  installAuth(app, { authenticator: makeAuthenticator(env.auth.admin.users, sessions), publicPaths: env.admin.public_paths, now });

  app.addHook('onResponse', async (request, reply) => {
    // Path only: no query strings, no headers, so no credential can end up in the log.
    logger.debug('http request', {
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      user: request.principal?.user,
      duration_ms: Math.round(reply.elapsedTime),
    });
  });

  registerHealthRoutes(app, ctx);
  registerOverviewRoutes(app, ctx);
  registerTaskRunRoutes(app, ctx);
  registerOrderRoutes(app, ctx);
  registerConfigRoutes(app, ctx);
  registerWarehouseSyncRoutes(app, ctx);
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.register(async (scope) => registerBullBoard(scope, queues));

  app.addHook('onReady', async () => {
    await Promise.all(Object.values(events).map((e) => e.waitUntilReady()));
  });
  app.addHook('onClose', async () => {
    await Promise.all(Object.values(events).map((e) => e.close()));
    metrics.registry.clear();
  });
  return app;
}
