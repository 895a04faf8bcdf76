import { setMaxListeners } from 'node:events';
import { ConfigError, parseRuntimeConfig, withoutInvalidCrons, type RuntimeConfig, type TaskName } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import type { LingxingClient } from '@dlsync/lingxing';
import type { Logger } from '@dlsync/logger';
import { makeMappingResolver } from '@dlsync/mapping';
import type { Store } from '@dlsync/store';
import { tryAcquireTaskLock } from './lock.js';
import { makeReportBuilder, type OrderResult, type Report, type RunStatus } from './report.js';
import { makeRunId } from './run-id.js';
import { makeSkipRecorder } from './skip-recorder.js';
import { withSinglePoOutcome } from './single-po-outcome.js';
import type { TaskContext, TaskFn, TaskInput, TaskRegistry } from './task-context.js';

/** Listeners a run's abort signal may hold at once before Node warns: well above the calls a run has in flight. */
const RUN_SIGNAL_LISTENERS = 100;

export interface RunnerDeps {
  store: Store;
  dsco: DscoClient;
  lingxing: LingxingClient;
  tasks: TaskRegistry;
  logger: Logger;
  platformCode: number;
  /** (Default: `() => new Date()`) */
  now?: () => Date;
  /** Stops the run from outside, e.g. on worker shutdown. */
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  /** Most per-order items kept in the Report. (Default: 500) */
  maxReportItems?: number;
  /** How often the lock connection is probed. (Default: 5000) */
  lockHeartbeatMs?: number;
}

interface Snapshot {
  config: RuntimeConfig;
  version: number;
}

// Versions are insert-only, so a version read before is the same config: parsing it again (its
// crons through the scheduler's parser) would cost every run of every task several milliseconds.
// Keyed by save time too, in case an operator rewrote a row by hand. The config is frozen, as
// every run shares it.
const parsedSnapshots = new WeakMap<Store, { key: string; snapshot: Snapshot }>();

async function loadSnapshot(store: Store, logger: Logger): Promise<Snapshot> {
  const latest = await store.runtimeConfig.latest();
  if (!latest) return { config: parseRuntimeConfig({}), version: 0 };
  const key = `${latest.version}@${new Date(latest.updated_at).getTime()}`;
  const cached = parsedSnapshots.get(store);
  if (cached?.key === key) return cached.snapshot;
  // A run never uses a cron: one BullMQ refuses (saved before crons were validated) is the
  // scheduler's problem, not a reason to stop every task.
  const { config, dropped } = withoutInvalidCrons(latest.config);
  if (dropped.length > 0) logger.warn('runtime_config has crons the scheduler refuses', { config_version: latest.version, problems: dropped });
  const snapshot = { config: deepFreeze(parseRuntimeConfig(config, `runtime_config v${latest.version}`)), version: latest.version };
  parsedSnapshots.set(store, { key, snapshot });
  return snapshot;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function statusOf(counts: { failed: number }, error?: unknown): RunStatus {
  if (error) return 'failed';
  return counts.failed > 0 ? 'partial' : 'ok';
}

function describeInput(input: TaskInput): Record<string, unknown> {
  return {
    trigger: input.trigger,
    only_po_number: input.onlyPoNumber,
    window: input.window && { start: input.window.start.toISOString(), end: input.window.end.toISOString() },
    force: input.force,
    stock: input.stock && { dry_run: input.stock.dryRun, source: input.stock.source, items: input.stock.items?.length },
  };
}

/**
 * The only way to run a task: snapshots runtime_config, takes the task's advisory lock on a
 * dedicated connection, runs it with a run_id logger and returns its Report. Never throws for
 * a task failure — the Report says `failed` and carries the error.
 */
export async function runTask(name: TaskName, input: TaskInput, deps: RunnerDeps): Promise<Report> {
  const now = deps.now ?? (() => new Date());
  const runId = makeRunId(now().getTime());
  const startedAt = now();
  const logger = deps.logger.child({ run_id: runId, task: name, trigger: input.trigger });
  const builder = makeReportBuilder(deps.maxReportItems ?? 500);
  const finish = (status: RunStatus, extra: { configVersion?: number; error?: string } = {}): Report =>
    builder.finish({
      runId,
      task: name,
      status,
      trigger: input.trigger,
      startedAt: startedAt.toISOString(),
      durationMs: now().getTime() - startedAt.getTime(),
      ...extra,
    });

  if (input.window && !(input.window.start < input.window.end)) {
    logger.warn('task refused', { reason: 'window start must be before end' });
    return finish('failed', { error: 'window start must be before end' });
  }

  let snapshot: Snapshot;
  try {
    snapshot = await loadSnapshot(deps.store, logger);
  } catch (err) {
    const error = err instanceof ConfigError ? `invalid runtime_config: ${err.message}` : `database unavailable: ${(err as Error).message}`;
    logger.error('task end', { status: 'failed', error });
    return finish('failed', { error });
  }

  // The lock connection comes from its own pool (never the one the task queries with), and its
  // acquisition is bounded by that pool's connection timeout: no connection, no run — reported.
  let lock: Awaited<ReturnType<typeof tryAcquireTaskLock>>;
  try {
    lock = await tryAcquireTaskLock(deps.store.lockPool, name, { heartbeatMs: deps.lockHeartbeatMs });
  } catch (err) {
    const error = `could not take the task lock: ${(err as Error).message}`;
    logger.error('task end', { status: 'failed', error });
    return finish('failed', { configVersion: snapshot.version, error });
  }
  if (!lock) {
    logger.info('task locked', { reason: 'another run of this task holds the lock' });
    return finish('locked', { configVersion: snapshot.version });
  }

  const signal = deps.signal ? AbortSignal.any([lock.signal, deps.signal]) : lock.signal;
  // A run keeps many calls in flight at once (row chunks, each with its list and create calls, and
  // the change-log reads settling beside them), each listening on this signal until it answers;
  // Node's default of 10 listeners would report that as a leak.
  setMaxListeners(RUN_SIGNAL_LISTENERS, signal);
  const job = snapshot.config.jobs[name];
  const skips = makeSkipRecorder(name, deps.store, now, logger, snapshot.config.retry);
  const reportOrder = (po: string, result: OrderResult, reason?: string, orderSnapshot?: Record<string, unknown>): void => {
    builder.add({ po_number: po, result, ...(reason ? { reason } : {}) });
    logger[result === 'failed' ? 'warn' : 'info']('order done', {
      po_number: po,
      result,
      ...(reason ? { reason } : {}),
      ...(orderSnapshot ? { snapshot: orderSnapshot } : {}),
    });
  };
  const ctx: TaskContext = {
    runId,
    task: name,
    trigger: input.trigger,
    config: snapshot.config,
    configVersion: snapshot.version,
    job,
    size: job.size,
    onlyPoNumber: input.onlyPoNumber,
    window: input.window,
    force: input.force ?? false,
    ...(input.stock ? { stock: input.stock } : {}),
    logger,
    store: deps.store,
    dsco: deps.dsco,
    lingxing: deps.lingxing,
    mapping: makeMappingResolver(snapshot.config.mapping),
    platformCode: deps.platformCode,
    signal,
    now,
    report: builder,
    orderDone(po, result, reason, orderSnapshot) {
      reportOrder(po, result, reason, orderSnapshot);
      skips.note(po, result, reason);
    },
    orderInFlight: (po, reason) => reportOrder(po, 'waiting', reason),
    progress: (percent) => deps.onProgress?.(Math.max(0, Math.min(100, Math.round(percent)))),
  };

  logger.info('task begin', { input: describeInput(input), config_version: snapshot.version });
  let error: unknown;
  try {
    await (deps.tasks[name] as TaskFn)(ctx);
    // A task that swallowed an abort must not report success for work it could not finish.
    signal.throwIfAborted();
  } catch (err) {
    error = signal.aborted && signal.reason instanceof Error ? signal.reason : err;
  } finally {
    // Recorded while the lock is held, so the next run of this task sees the backoff.
    await skips.flush();
    await lock.release().catch((err: Error) => logger.warn('lock release failed', { error: err.message }));
  }
  const status = statusOf(builder.counts, error);
  const report = await withSinglePoOutcome(
    finish(status, {
      configVersion: snapshot.version,
      ...(error ? { error: (error as Error).message ?? String(error) } : {}),
    }),
    input.onlyPoNumber,
    deps.store,
  );
  logger[status === 'failed' ? 'error' : 'info']('task end', {
    status,
    duration_ms: report.durationMs,
    counts: report.counts,
    ...(report.error ? { error: report.error } : {}),
  });
  return report;
}
