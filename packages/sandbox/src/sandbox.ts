import { setMaxListeners } from 'node:events';
import { makeSimClock, type SimClock } from './clock.js';
import { CONTROL_PREFIX, handleControl, type ControlDeps } from './control.js';
import { makeDscoAuth } from './dsco/auth.js';
import { makeDscoRateLimiter } from './dsco/rate-limit.js';
import { makeScrolls } from './dsco/scrolls.js';
import { DSCO_BASE_PATH, handleDsco } from './dsco/server.js';
import { makeFaults, type Faults } from './faults.js';
import { closeServer, listen, makeHttpServer, type SandboxRequest, type SandboxResponse } from './http/kit.js';
import { makeBuckets } from './lingxing/buckets.js';
import { handleLingxing } from './lingxing/server.js';
import { makeLingxingTokens } from './lingxing/tokens.js';
import { resolveOptions, type ResolvedOptions, type SandboxCredentials, type SandboxOptions } from './options.js';
import { makeRng } from './rng.js';
import { snapshotState, type SandboxState, type StateOptions } from './state.js';
import { makeWorld, type World } from './world/world.js';
import type { Violation } from './world/recorder.js';

/** Throws an error naming every violation (at most 20), so a test failure says what drifted. */
export function assertNoViolations(violations: readonly Violation[]): void {
  if (violations.length === 0) return;
  const lines = violations.slice(0, 20).map((v) => `${v.side} ${v.endpoint}: ${v.problem}${v.refused ? ' (refused)' : ''}`);
  const more = violations.length > 20 ? `\n… and ${violations.length - 20} more` : '';
  throw new Error(`sandbox recorded ${violations.length} contract violation(s):\n${lines.join('\n')}${more}`);
}

export interface Sandbox {
  /** DSCO base URL, like `https://api.dsco.io/api/v3` (paths such as `/order/page` are relative to it). */
  dscoUrl: string;
  /** Lingxing base URL, like `https://openapi.lingxing.com`. */
  lingxingUrl: string;
  /** Control API base (`<dsco origin>/_control`; the Lingxing port serves it too). */
  controlUrl: string;
  credentials: SandboxCredentials;
  options: ResolvedOptions;
  world: World;
  faults: Faults;
  clock: SimClock;
  state(options?: StateOptions): SandboxState;
  /** Contract violations recorded so far (cleared by reset). */
  violations(): Violation[];
  /** Throws, listing them, when any contract violation was recorded: every sandbox-backed test ends with it. */
  assertNoViolations(): void;
  /** Clears orders, writes, call stats, faults, buckets and scrolls; tokens and the clock stay. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the fake DSCO and Lingxing servers over one shared, seeded world. */
export async function startSandbox(input: SandboxOptions = {}): Promise<Sandbox> {
  const options = resolveOptions(input);
  const clock = makeSimClock(options.wallNow);
  const now = (): number => clock.now();
  const world = makeWorld(options, clock);
  const faults = makeFaults(makeRng(`${options.seed}/faults`));
  const closing = new AbortController();
  // Every request in flight waits its injected latency on this signal, and a fleet keeps dozens in
  // flight; Node's default of 10 listeners would report that as a leak.
  setMaxListeners(0, closing.signal);
  const lingxingTokens = makeLingxingTokens(now, options.lingxingTokenLifetimeSeconds, options.lingxingRefreshTokenLifetimeSeconds);
  const buckets = makeBuckets(options.buckets, clock.wallNow);
  const dscoAuth = makeDscoAuth(options.credentials, now, options.dscoTokenLifetimeSeconds, () =>
    world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side: 'dsco', kind: 'oauth' }),
  );
  const rateLimiter = makeDscoRateLimiter(options.dscoRateLimit, clock.wallNow);
  const scrolls = makeScrolls(now, options.scrollTtlSeconds * 1000);
  faults.onRevoke((side) => {
    if (side === 'dsco') dscoAuth.revoke();
    else lingxingTokens.revoke();
    world.recorder.writes.tokens.push({ at: world.recorder.nowIso(), side, kind: 'revoke' });
  });

  const state = (stateOptions?: StateOptions): SandboxState => snapshotState(world, clock, buckets.snapshot(), stateOptions);
  const reset = (): void => {
    world.reset();
    faults.clear();
    buckets.reset();
    rateLimiter.reset();
    scrolls.clear();
  };
  const control: ControlDeps = { world, faults, advance: (ms) => clock.advance(ms), state, reset };
  const withControl =
    (handle: (request: SandboxRequest) => Promise<SandboxResponse | undefined>) =>
    async (request: SandboxRequest): Promise<SandboxResponse | undefined> => {
      world.tick();
      if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) return handleControl(request, control);
      return handle(request);
    };

  const dscoServer = makeHttpServer(withControl((request) => handleDsco(request, { world, clock, faults, auth: dscoAuth, rateLimiter, scrolls, signal: closing.signal })));
  const lingxingServer = makeHttpServer(
    withControl((request) => handleLingxing(request, { options, world, clock, faults, tokens: lingxingTokens, buckets, signal: closing.signal })),
  );
  const dscoOrigin = await listen(dscoServer, options.portDsco, options.host);
  let lingxingOrigin: string;
  try {
    lingxingOrigin = await listen(lingxingServer, options.portLingxing, options.host);
  } catch (error) {
    await closeServer(dscoServer);
    throw error;
  }
  if (options.seedOrders > 0) world.seedOrders({ count: options.seedOrders });

  return {
    dscoUrl: `${dscoOrigin}${DSCO_BASE_PATH}`,
    lingxingUrl: lingxingOrigin,
    controlUrl: `${dscoOrigin}${CONTROL_PREFIX}`,
    credentials: options.credentials,
    options,
    world,
    faults,
    clock,
    state,
    violations: () => [...world.recorder.violations],
    assertNoViolations: () => assertNoViolations(world.recorder.violations),
    reset,
    async close() {
      closing.abort();
      await Promise.all([closeServer(dscoServer), closeServer(lingxingServer)]);
    },
  };
}
