import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BULL_BOARD_PATH, hashPassword } from '@dlsync/admin';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues } from '@dlsync/queue';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { readCallCounts } from '@dlsync/services';
import { makeStore, type Store } from '@dlsync/store';
import type { Output } from '../output.js';
import type { AppLine, AppProcess } from '../processes/app-process.js';
import { sandboxRemotes, writeEmptyEnvFile } from '../processes/fleet-env.js';
import { startFleet, type Fleet } from '../processes/fleet.js';
import { demoRuntimeConfig } from './demo-config.js';
import { writeDemoConnection } from './demo-connect.js';
import { startDemoInfra } from './demo-infra.js';
import { formatDemoSummary, collectRunStats } from './demo-summary.js';
import { classifyOrders } from './eligibility.js';
import { withoutSignalListenersOf } from './signal-listeners.js';
import { waitForOrders } from './wait-for-orders.js';

export interface DemoOptions {
  /** Orders seeded in the sandbox. (Default: 300) */
  orders?: number;
  /** Sandbox world seed. (Default: 1) */
  seed?: number;
  /** Give up after this long. (Default: 180) */
  timeoutSeconds?: number;
  /** Simulated minutes the sandbox clock advances every wall second. (Default: 10) */
  advanceMinutesPerSecond?: number;
  /** Worker processes. (Default: 2) */
  workers?: number;
  /** Keep admin and Bull Board up after the run until `signal` fires. (Default: false) */
  serve?: boolean;
  /** Echo every child log line, not only errors. (Default: false) */
  verbose?: boolean;
  output: Output;
  /** Fires on Ctrl-C: stop waiting, clean up. */
  signal: AbortSignal;
  /** With `serve`: where the CLI connection files go. (Default: `./.dlsync`) */
  connectionDir?: string;
}

export interface DemoResult {
  allEligibleDone: boolean;
  eligible: number;
  eligibleDone: number;
}

/** Runs `fns` in reverse order, all of them even when some fail. */
async function unwind(fns: (() => Promise<unknown>)[], say: (m: string) => void): Promise<void> {
  for (const fn of fns.reverse()) {
    await fn().catch((err: Error) => say(`cleanup: ${err.message}`));
  }
}

interface ChildLogSink {
  onLine: (l: AppLine, a: AppProcess) => void;
  /** From now on lines only go to the files (shutdown noise); returns how many would have been echoed since. */
  quiet(): () => number;
  close(): void;
}

function childLogSink(dir: string, output: Output, verbose: boolean): ChildLogSink {
  const files = new Map<string, WriteStream>();
  let muted: { count: number } | undefined;
  return {
    onLine(line, app) {
      let file = files.get(app.name);
      if (!file) files.set(app.name, (file = createWriteStream(join(dir, `${app.name}.log`), { flags: 'a' })));
      file.write(`${line.text}\n`);
      const level = line.json?.level;
      if (!(verbose || level === 'error' || (line.stream === 'stderr' && !line.json))) return;
      if (muted) muted.count++;
      else output.err(`[${app.name}] ${line.text}`);
    },
    quiet() {
      const state = (muted ??= { count: 0 });
      return () => state.count;
    },
    close() {
      for (const f of files.values()) f.end();
    },
  };
}

/**
 * `dlsync demo`: infra, a seeded sandbox, a demo runtime_config, then scheduler + workers +
 * admin as child processes driving every eligible order to status 5 while the sandbox clock
 * runs fast. Prints a summary; with `serve`, keeps the fleet up until Ctrl-C.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = (m: string): void => options.output.err(m);
  const started = Date.now();
  const cleanup: (() => Promise<unknown>)[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'dlsync-demo-'));
  let keepLogs = false;
  cleanup.push(async () => {
    if (!keepLogs) rmSync(workDir, { recursive: true, force: true });
  });
  try {
    say('starting Postgres and Redis ...');
    const infra = await withoutSignalListenersOf(() => startDemoInfra(say));
    cleanup.push(async () => {
      say('stopping Postgres and Redis ...');
      await infra.stop();
    });
    options.signal.throwIfAborted();

    const sandbox: Sandbox = await startSandbox({ seed: options.seed ?? 1, seedOrders: options.orders ?? 300 });
    cleanup.push(() => sandbox.close());
    const { eligible, excluded } = classifyOrders(sandbox.world.dscoOrders.all());
    say(`sandbox: DSCO ${sandbox.dscoUrl}, Lingxing ${sandbox.lingxingUrl}; ${sandbox.world.dscoOrders.size()} orders, ${eligible.length} can complete`);
    for (const [reason, pos] of excluded) say(`  excluded ${pos.length}: ${reason}`);

    const store: Store = makeStore({ databaseUrl: infra.databaseUrl, poolMax: 2 });
    cleanup.push(() => store.close());
    const version = await store.runtimeConfig.save(demoRuntimeConfig(sandbox.world.suggestedMapping()), { expectedVersion: null, updatedBy: 'demo' });
    say(`runtime_config v${version}: sandbox mapping, every scheduled task on a per-second cron`);

    const password = randomBytes(12).toString('base64url');
    const logDir = join(workDir, 'logs');
    mkdirSync(logDir);
    const sink = childLogSink(logDir, options.output, options.verbose ?? false);
    cleanup.push(async () => sink.close());
    // Where the fleet and, with --serve, another terminal's CLI find the demo's services.
    const endpoints = {
      databaseUrl: infra.databaseUrl,
      redisUrl: infra.redisUrl,
      prefix: infra.prefix,
      ...sandboxRemotes(sandbox),
    };
    say(`starting scheduler, ${options.workers ?? 2} workers and admin (logs in ${logDir}) ...`);
    const fleet: Fleet = await startFleet({
      env: {
        ...endpoints,
        adminUsers: { demo: await hashPassword(password) },
        configPath: writeEmptyEnvFile(join(workDir, 'env.yaml')),
      },
      workers: options.workers ?? 2,
      onLine: sink.onLine,
    });
    cleanup.push(async () => {
      // The fleet goes before the infra it uses; its shutdown noise goes to the log files only.
      const echoed = sink.quiet();
      say('stopping the fleet (workers, scheduler, admin) ...');
      await fleet.stop();
      say(`fleet stopped${echoed() ? ` (${echoed()} error lines while stopping, in ${logDir})` : ''}`);
    });
    const connection = options.serve
      ? writeDemoConnection(options.connectionDir ?? join(process.cwd(), '.dlsync'), endpoints)
      : undefined;
    if (connection) {
      cleanup.push(async () => connection.remove());
      for (const line of connection.instructions) say(line);
    }

    const stepMs = (options.advanceMinutesPerSecond ?? 10) * 60_000;
    const clock = setInterval(() => sandbox.clock.advance(stepMs), 1_000);
    cleanup.push(async () => clearInterval(clock));

    const progress = await waitForOrders({
      store,
      eligible,
      timeoutMs: (options.timeoutSeconds ?? 180) * 1000,
      signal: options.signal,
      onProgress: (p) =>
        say(
          `[${Math.round((Date.now() - started) / 1000)}s] ${Object.entries(p.byStatus).map(([s, n]) => `${s}:${n}`).join(' ')}` +
            `  eligible done ${p.eligibleDone}/${eligible.length}`,
        ),
    });

    const redis = makeRedisConnection(infra.redisUrl);
    cleanup.push(async () => redis.disconnect());
    const queues = await makeTaskQueues({ connection: redis, prefix: infra.prefix });
    cleanup.push(() => closeTaskQueues(queues));
    options.output.out(
      formatDemoSummary({
        byStatus: progress.byStatus,
        excluded,
        eligible: eligible.length,
        eligibleDone: progress.eligibleDone,
        runs: await collectRunStats(queues),
        calls: await readCallCounts(redis, infra.prefix),
        wallMs: Date.now() - started,
        simulatedMs: sandbox.clock.offsetMs(),
        violations: sandbox.violations().map((v) => `${v.side} ${v.endpoint}: ${v.problem}`),
      }),
    );
    // A run that drifted from the published contracts is not a clean demo, even if it finished.
    const allDone = progress.eligibleDone === eligible.length && sandbox.violations().length === 0;
    if (!allDone) {
      keepLogs = true;
      say(`not finished: ${progress.pending.slice(0, 10).map((o) => `${o.po} at ${o.status ?? 'not pulled'}`).join(', ')}; logs kept in ${logDir}`);
    }
    if (options.serve && !options.signal.aborted) {
      options.output.out(
        [
          '',
          `admin:      ${fleet.adminUrl}/`,
          `Bull Board: ${fleet.adminUrl}${BULL_BOARD_PATH}`,
          `login:      demo / ${password}`,
          ...(connection ? connection.instructions : []),
          'Ctrl-C stops everything.',
        ].join('\n'),
      );
      await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
    }
    return { allEligibleDone: allDone, eligible: eligible.length, eligibleDone: progress.eligibleDone };
  } finally {
    say('stopping ...');
    await unwind(cleanup, say);
  }
}
