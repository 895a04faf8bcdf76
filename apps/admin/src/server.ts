import { QueueEvents } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { TASK_NAMES, type EnvConfig, type TaskName } from '@dlsync/config';
import type { Logger } from '@dlsync/logger';
import type { TaskQueues } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import { makeAuthenticator } from './auth/authenticator.js';
import { installAuth } from './auth/install-auth.js';
import { installLoginThrottle } from './auth/login-throttle.js';
import { makeSessions } from './auth/session.js';
import { BULL_BOARD_PATH, registerBullBoard } from './bull-board.js';
import { installCleanInput } from './clean-input.js';
import type { AdminContext, AdminServices } from './context.js';
import { installErrorHandler } from './errors.js';
import { registerInventoryApi } from './inventory-api/register-inventory-api.js';
import { makeAdminMetrics, makeLoginFailureRecorder, withFailedLoginsCounted } from './metrics.js';
import { registerConfigRoutes } from './routes/config.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerConsole } from './console/register-console.js';
import { registerOverviewRoutes } from './routes/overview.js';
import { registerTaskRunRoutes } from './routes/task-runs.js';
import { registerWarehouseSyncRoutes } from './routes/warehouse-sync.js';
import { installSecurityHeaders } from './security-headers.js';

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

/**
 * The admin HTTP server: Bull Board at /admin/queues, the JSON API under /api, the overview
 * page at /, /metrics, /healthz and /readyz, all behind auth except `admin.public_paths`.
 * Nothing listens until the caller calls `listen()` (or uses `inject()`); `close()` stops the
 * QueueEvents it opened but leaves services and queues to their owner.
 */
export function makeAdminServer(options: MakeAdminServerOptions): FastifyInstance {
  const { services, queues, env, logger } = options;
  const now = options.now ?? (() => new Date());
  const admin = env.admin;
  // Behind a TLS-terminating proxy this is what makes request.ip, request.protocol (and so the
  // Secure cookie flag) and request.host (the same-origin check) describe the real client.
  const hops = admin.trust_proxy;
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : hops;
  const fastifyOptions: FastifyServerOptions = { logger: false, trustProxy, bodyLimit: 1024 * 1024 };
  const app = Fastify(fastifyOptions);
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
  // JSON only: an HTML form on another site can send text/plain or form bodies without a
  // preflight, so no route but the login form (which adds its own parser) reads either.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app, logger);
  installSecurityHeaders(app, { boardPath: BULL_BOARD_PATH });

  // A configured secret lets every admin replica read the others' login cookies.
  const sessionSecret = options.sessionSecret ?? (admin.session_secret ? Buffer.from(admin.session_secret) : undefined);
  const sessions = makeSessions({
    redis: services.redis,
    keyPrefix: `${services.prefix}:admin:session:`,
    ttlMs: options.sessionTtlMs ?? 12 * 3600_000,
    ...(sessionSecret ? { secret: sessionSecret } : {}),
  });
  const throttle = installLoginThrottle(app, {
    redis: services.redis,
    keyPrefix: `${services.prefix}:admin:login-failures:`,
    failuresPerUser: admin.login_throttle.failures_per_user,
    failuresPerAddress: admin.login_throttle.failures_per_address,
    windowSeconds: admin.login_throttle.window_seconds,
    concurrentChecks: admin.login_throttle.concurrent_checks,
  });
  installAuth(app, {
    authenticator: makeAuthenticator(env.auth.admin.users, sessions),
    throttle: withFailedLoginsCounted(throttle, makeLoginFailureRecorder(services.redis, services.prefix, logger)),
    publicPaths: admin.public_paths,
    cookieSecure: admin.cookie_secure,
    now,
    onStoreError: (err) => logger.warn('session store error', { error: err.message }),
  });
  installCleanInput(app);

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
  registerConsole(app, ctx);
  registerConfigRoutes(app, ctx);
  registerWarehouseSyncRoutes(app, ctx);
  registerInventoryApi(app, ctx);
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.register(async (scope) => registerBullBoard(scope, queues, env.admin.display_timezone));

  app.addHook('onReady', async () => {
    await Promise.all(Object.values(events).map((e) => e.waitUntilReady()));
  });
  app.addHook('onClose', async () => {
    await Promise.all(Object.values(events).map((e) => e.close()));
    metrics.registry.clear();
  });
  return app;
}
