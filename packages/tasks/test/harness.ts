import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { parseRuntimeConfig, type RuntimeConfigInput, type TaskName } from '@dlsync/config';
import { makeDscoClient, type DscoClient } from '@dlsync/dsco';
import { makeLingxingClient, type LingxingClient } from '@dlsync/lingxing';
import { makeMemoryLogger, type Logger } from '@dlsync/logger';
import { makeCallCounter } from '@dlsync/remote';
import { runTask, type Report, type TaskContext, type TaskFn, type TaskInput, type TaskRegistry } from '@dlsync/runner';
import { startSandbox, type Sandbox, type SandboxOptions } from '@dlsync/sandbox';
import { makeStore, type Store } from '@dlsync/store';
import { taskRegistry } from '@dlsync/tasks';

/**
 * The real registry with one task's DSCO client partly replaced — to inject a crash after a
 * real call, or an answer the sandbox cannot give. `real` is the client the task would have used.
 */
export function withDsco<T extends TaskName>(task: T, replace: (real: DscoClient) => Partial<DscoClient>): TaskRegistry {
  const original = taskRegistry[task] as TaskFn;
  return { ...taskRegistry, [task]: (ctx: TaskContext) => original({ ...ctx, dsco: { ...ctx.dsco, ...replace(ctx.dsco) } }) } as TaskRegistry;
}

export interface TaskHarness {
  sandbox: Sandbox;
  store: Store;
  dsco: DscoClient;
  lingxing: LingxingClient;
  /** Log lines of every run so far. */
  lines: Record<string, unknown>[];
  logger: Logger;
  /** Remote calls per `service endpoint` made through the clients since the last reset. */
  calls(): Record<string, { ok: number; error: number }>;
  resetCalls(): void;
  /** Runs a task through the real runner; `input.trigger` defaults to `manual`. */
  run(task: TaskName, input?: Partial<TaskInput>, tasks?: TaskRegistry): Promise<Report>;
  /** Saves a new runtime_config version (mapping defaults to the sandbox's suggested one). */
  setConfig(config?: RuntimeConfigInput): Promise<number>;
}

/**
 * Per test file: its own database and Redis prefix (useTestEnv), a sandbox, real clients and
 * a store. Read the fields inside tests or hooks. Sandbox DSCO rate limits are off unless the
 * options turn them on, so task tests are not slowed by them.
 */
export function useTaskHarness(options: SandboxOptions = {}): TaskHarness {
  const env = useTestEnv();
  const h = {} as TaskHarness;
  let redis: Redis;
  let counter = makeCallCounter();
  beforeAll(async () => {
    h.sandbox = await startSandbox({ dscoRateLimit: { enabled: false }, ...options });
    h.store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 5 });
    redis = new Redis(env.redisUrl);
    const mem = makeMemoryLogger();
    h.logger = mem.logger;
    h.lines = mem.lines;
    const onCall = (e: Parameters<typeof counter.observe>[0]): void => counter.observe(e);
    h.dsco = makeDscoClient({
      baseUrl: h.sandbox.dscoUrl,
      auth: { token: h.sandbox.credentials.dscoToken },
      redis,
      keyPrefix: env.redisPrefix,
      retry: { attempts: 4, baseMs: 20, maxMs: 200 },
      onCall,
    });
    h.lingxing = makeLingxingClient({
      baseUrl: h.sandbox.lingxingUrl,
      appId: h.sandbox.credentials.lingxingAppId,
      appSecret: h.sandbox.credentials.lingxingAppSecret,
      redis,
      keyPrefix: env.redisPrefix,
      retry: { attempts: 4, baseMs: 20, maxMs: 200 },
      onCall,
    });
    h.calls = () => counter.counts();
    h.resetCalls = () => {
      counter = makeCallCounter();
    };
    h.run = (task, input = {}, tasks = taskRegistry) =>
      runTask(task, { trigger: 'manual', ...input }, {
        store: h.store,
        dsco: h.dsco,
        lingxing: h.lingxing,
        tasks,
        logger: h.logger,
        platformCode: 10009,
      });
    h.setConfig = async (config = {}) => {
      const latest = await h.store.runtimeConfig.latest();
      // A first pull starts at the fixed epoch and reads it a week per call at DSCO's 10 pages/s:
      // ~10 s of empty windows before every test's orders. Tests read it in one window unless
      // they set the window themselves.
      const jobs = (config as { jobs?: Record<string, Record<string, unknown>> }).jobs ?? {};
      const pull = { max_window_seconds: 800 * 86_400, ...jobs.pull_dsco_orders };
      const full = parseRuntimeConfig({ mapping: h.sandbox.world.suggestedMapping(), ...config, jobs: { ...jobs, pull_dsco_orders: pull } });
      return h.store.runtimeConfig.save(full, { expectedVersion: latest?.version ?? null, updatedBy: 'test' });
    };
  });
  // Every sandbox-backed task test ends by asserting the sandbox saw no contract violation, so a
  // request drifting from the DSCO or Lingxing reference fails the test that sent it.
  afterEach(() => h.sandbox?.assertNoViolations());
  afterAll(async () => {
    await h.sandbox?.close();
    await h.store?.close();
    redis?.disconnect();
  });
  return h;
}
