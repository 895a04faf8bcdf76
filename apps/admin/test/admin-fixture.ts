import http, { type IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { envConfigSchema, TASK_NAMES, type EnvConfig, type TaskName } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import type { TestEnv } from '@dlsync/infra/testing';
import { makeSilentLogger, type Logger } from '@dlsync/logger';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues, startTaskWorkers, type TaskQueues, type TaskWorkers } from '@dlsync/queue';
import type { TaskFn, TaskRegistry } from '@dlsync/runner';
import { makeStore, type OrderStatus, type Store } from '@dlsync/store';
import { Redis as IORedis } from 'ioredis';
import { makeAdminServer, type MakeAdminServerOptions } from '../src/index.js';

export const ALICE_PASSWORD = 'correct horse battery staple';
export const BOT_TOKEN = 'bot-token-0123456789abcdef';
/** A precomputed hash of ALICE_PASSWORD keeps scrypt out of every fixture setup. */
export const ALICE_HASH = 'scrypt$6H-bOzDLVvRL1QZEfHcSGA$JlhAxSZifYw0TfzSq6ObTQYHgtUQHtMs8fh7SiEof24';

/** A read-only user: password (Basic or the login form) and a token of its own. */
export const CAROL_PASSWORD = 'viewer password 42';
export const CAROL_HASH = 'scrypt$SWBGlAdsl027GSogR3m1bQ$DYU-dtSgBxsmbUDYT0Uc3sWAgXqxQvTiRc3c4i3gaZA';
export const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';

/** alice (admin, password), bot (admin, token), carol and watcher (viewer, password and token). */
export const TEST_USERS: Record<string, unknown> = {
  alice: ALICE_HASH,
  bot: `token:${BOT_TOKEN}`,
  carol: { password_hash: CAROL_HASH, role: 'viewer' },
  watcher: { token: VIEWER_TOKEN, role: 'viewer' },
};

/**
 * Sign-in failures the fixture allows by default: the auth matrix makes hundreds of wrong
 * attempts on purpose; the throttle tests set their own small limits.
 */
const ROOMY_THROTTLE = { failures_per_user: 100_000, failures_per_address: 100_000 };

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const ALICE = { authorization: basic('alice', ALICE_PASSWORD) };

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string (then as is). */
  body?: unknown;
}

/** One real HTTP request; the path goes out exactly as given (no URL normalization). */
export function httpRequest(baseUrl: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const url = new URL(baseUrl);
  const payload =
    options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: options.method ?? 'GET', path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface AdminFixture {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` of the listening server. */
  url: string;
  request(path: string, options?: RequestOptions): Promise<HttpResponse>;
  env: EnvConfig;
  store: Store;
  redis: Redis;
  queueConnection: Redis;
  queues: TaskQueues;
  /** BullMQ prefix (the test file's Redis prefix without its trailing colon). */
  prefix: string;
  close(): Promise<void>;
}

/** Env config for a test: the file's database and Redis prefix, TEST_USERS unless `users` is given. */
export function testEnvConfig(testEnv: TestEnv, admin: Record<string, unknown> = {}, users: Record<string, unknown> = TEST_USERS): EnvConfig {
  return envConfigSchema.parse({
    postgres: { url: testEnv.databaseUrl, pool_max: 4 },
    redis: { url: testEnv.redisUrl, prefix: testEnv.redisPrefix.replace(/:$/, '') },
    auth: { admin: { users } },
    admin: { port: 0, login_throttle: ROOMY_THROTTLE, ...admin },
  });
}

export async function makeAdminFixture(
  testEnv: TestEnv,
  options: {
    admin?: Record<string, unknown>;
    /** `auth.admin.users` (Default: TEST_USERS) */
    users?: Record<string, unknown>;
    logger?: Logger;
    /** Points the store elsewhere, e.g. at a closed port to see /readyz fail. (Default: the test database) */
    databaseUrl?: string;
    /** The admin's DSCO client (live stock reads). (Default: none, the feature is off) */
    dsco?: DscoClient;
  } & Partial<Pick<MakeAdminServerOptions, 'now' | 'waitTimeoutMs'>> = {},
): Promise<AdminFixture> {
  const env = testEnvConfig(testEnv, options.admin, options.users);
  const prefix = env.redis.prefix;
  const store = makeStore({ databaseUrl: options.databaseUrl ?? env.postgres.url!, poolMax: 4 });
  const redis = new IORedis(env.redis.url!, { maxRetriesPerRequest: 3 });
  const queueConnection = makeRedisConnection(env.redis.url!);
  const queues = await makeTaskQueues({ connection: queueConnection, prefix });
  const app = makeAdminServer({
    services: { store, redis, queueConnection, prefix, ...(options.dsco ? { dsco: options.dsco } : {}) },
    queues,
    env,
    logger: options.logger ?? makeSilentLogger(),
    ...(options.now ? { now: options.now } : {}),
    ...(options.waitTimeoutMs ? { waitTimeoutMs: options.waitTimeoutMs } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    request: (path, requestOptions) => httpRequest(url, path, requestOptions),
    env,
    store,
    redis,
    queueConnection,
    queues,
    prefix,
    async close() {
      await app.close();
      await closeTaskQueues(queues);
      await store.close();
      redis.disconnect();
      queueConnection.disconnect();
    },
  };
}

/** Inserts orders directly (any status), `dsco_create_time` increasing with the index. */
export async function seedOrders(store: Store, orders: { po: string; status: OrderStatus; updatedAt?: Date }[], baseTime = 1_700_000_000): Promise<void> {
  if (orders.length === 0) return;
  await store.db
    .insertInto('dsco_order_sync')
    .values(
      orders.map((o, i) => ({
        po_number: o.po,
        dsco_order_id: `id-${o.po}`,
        dsco_retailer_id: 'R1',
        dsco_status: 'created',
        dsco_create_time: baseTime + i,
        status: o.status,
        mskus: 'SKU-1(1)',
        warehouse_id: 'W1',
        shipment: 'GROUND',
        payload: JSON.stringify({ poNumber: o.po, lineItems: [{ sku: 'SKU-1', quantity: 1 }] }),
        ...(o.updatedAt ? { updated_at: o.updatedAt } : {}),
      })),
    )
    .execute();
}

/**
 * A registry whose every task reports one item: the PO it was asked about (or `ALL`), so a
 * run's Report shows the request made it through queue, worker and runner. `fail` tasks throw.
 */
export function makeTestRegistry(options: { fail?: TaskName[] } = {}): TaskRegistry {
  const task: TaskFn = async (ctx) => {
    if (options.fail?.includes(ctx.task)) throw new Error(`${ctx.task} exploded`);
    ctx.report.detail('window', ctx.window ? `${ctx.window.start.toISOString()}/${ctx.window.end.toISOString()}` : null);
    ctx.orderDone(ctx.onlyPoNumber ?? 'ALL', 'ok');
  };
  return Object.fromEntries(TASK_NAMES.map((t) => [t, task])) as TaskRegistry;
}

/** Real BullMQ workers over the fixture's queues, running `registry` through the real runner. */
export function startTestWorkers(fx: AdminFixture, registry: TaskRegistry, tasks?: TaskName[]): TaskWorkers {
  return startTaskWorkers({
    connection: fx.queueConnection,
    prefix: fx.prefix,
    ...(tasks ? { tasks } : {}),
    runner: {
      store: fx.store,
      // The test registry never calls DSCO or Lingxing.
      dsco: {} as DscoClient,
      lingxing: {} as LingxingClient,
      tasks: registry,
      logger: makeSilentLogger(),
      platformCode: 10009,
    },
    logger: makeSilentLogger(),
    shutdownGraceMs: 1_000,
  });
}
