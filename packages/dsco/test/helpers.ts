import { Redis as IORedis, type Redis } from 'ioredis';
import { useTestEnv, type TestEnv } from '@dlsync/infra/testing';
import { startSandbox, type Sandbox, type SandboxOptions } from '@dlsync/sandbox';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { DSCO_ENDPOINTS, makeDscoClient, type DscoClient, type DscoClientOptions, type DscoRateLimits } from '../src/index.js';

/** Tight retry timings so failing paths finish fast; rate limits high unless a test sets them. */
export const FAST_RETRY = { attempts: 4, baseMs: 5, maxMs: 20 };
export const NO_RATE_LIMIT: DscoRateLimits = {
  endpoints: Object.fromEntries(DSCO_ENDPOINTS.map((e) => [e, [{ max: 10_000, perMs: 1_000 }]])),
};

export const TOKEN = 'static-token-0123456789abcdef';
export const CLIENT_SECRET = 'client-secret-fedcba9876543210';

export function makeTestClient(
  redis: Redis,
  keyPrefix: string,
  options: Partial<DscoClientOptions> & Pick<DscoClientOptions, 'baseUrl'>,
): DscoClient {
  return makeDscoClient({
    auth: { token: TOKEN },
    redis,
    keyPrefix,
    rateLimits: NO_RATE_LIMIT,
    retry: FAST_RETRY,
    timeoutMs: 2_000,
    ...options,
  });
}

/** Awaits `promise` expecting a rejection and returns the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could leak through: message, stack, own fields, cause. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const fields = Object.fromEntries(Object.entries(err));
  return [err.message, err.stack ?? '', JSON.stringify(fields), err.cause === undefined ? '' : errorText(err.cause)].join('\n');
}

export interface FakeDscoHarness {
  env: TestEnv;
  readonly redis: Redis;
  readonly server: FakeServer;
}

/**
 * Per test file: a Redis connection and a fake DSCO server, whose request log is cleared
 * before each test. Read the fields inside tests or hooks.
 */
export function useFakeDsco(): FakeDscoHarness {
  const env = useTestEnv();
  let redis: Redis | undefined;
  let server: FakeServer | undefined;
  beforeAll(async () => {
    redis = new IORedis(env.redisUrl);
    server = await startFakeServer();
  });
  afterAll(async () => {
    await server?.close();
    redis?.disconnect();
  });
  beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  return {
    env,
    get redis() {
      if (!redis) throw new Error('read the harness inside tests or hooks');
      return redis;
    },
    get server() {
      if (!server) throw new Error('read the harness inside tests or hooks');
      return server;
    },
  };
}

export interface DscoSandboxHarness {
  env: TestEnv;
  readonly redis: Redis;
  readonly sandbox: Sandbox;
}

/**
 * Per test file: a Redis connection and a sandbox, reset before each test. Every test ends by
 * asserting the sandbox recorded no contract violation, so a client request drifting from
 * DSCO's reference fails the test that sent it (a test that breaks the contract on purpose
 * takes its violations with `sandbox.world.recorder.takeViolations()`).
 */
export function useDscoSandbox(options: SandboxOptions = {}): DscoSandboxHarness {
  const env = useTestEnv();
  let redis: Redis | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    redis = new IORedis(env.redisUrl);
    sandbox = await startSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.close();
    redis?.disconnect();
  });
  beforeEach(() => sandbox?.reset());
  afterEach(() => sandbox?.assertNoViolations());
  return {
    env,
    get redis() {
      if (!redis) throw new Error('read the harness inside tests or hooks');
      return redis;
    },
    get sandbox() {
      if (!sandbox) throw new Error('read the harness inside tests or hooks');
      return sandbox;
    },
  };
}
