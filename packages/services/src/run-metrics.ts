import type { Redis } from 'ioredis';
import type { Report } from '@dlsync/runner';

/**
 * Fleet-wide run figures in Redis hashes, written by whichever worker ran the job, so the
 * admin's /metrics and overview read the same numbers from any replica, across restarts.
 * Keys: `<prefix>:metrics:last_success` (task → epoch ms of the newest ok/partial run),
 * `<prefix>:metrics:runs` (`<task> <status>` → runs), `<prefix>:metrics:skips`
 * (`<task>\t<reason>` → skipped orders).
 */
export const runMetricsKeys = (prefix: string) => ({
  lastSuccess: `${prefix}:metrics:last_success`,
  runs: `${prefix}:metrics:runs`,
  skips: `${prefix}:metrics:skips`,
});

/** A run succeeded when it did its work, even if some orders failed (partial). */
export const isSuccessfulRun = (report: Report): boolean => report.status === 'ok' || report.status === 'partial';

/**
 * Skipped orders per reason. `reasons` mixes skips and failures; the items say which is which,
 * and when the item list was capped the reasons seen only on skipped items are taken whole.
 */
export function skipReasons(report: Report): Record<string, number> {
  const failedReasons = new Set(report.items.filter((i) => i.result === 'failed').map((i) => i.reason));
  const out: Record<string, number> = {};
  if (report.itemsOmitted === 0) {
    for (const i of report.items) if (i.result === 'skipped' && i.reason) out[i.reason] = (out[i.reason] ?? 0) + 1;
    return out;
  }
  for (const [reason, n] of Object.entries(report.reasons)) if (!failedReasons.has(reason)) out[reason] = n;
  return out;
}

export interface RunRecorder {
  /** A run finished (any status); its figures go into the fleet-wide hashes. */
  runFinished(report: Report, finishedAt: Date): Promise<void>;
  /** A job failed for good (no attempt left, or a usage error). */
  jobFailed(task: string): Promise<void>;
}

/** Records run outcomes in Redis; a failed write is dropped (metrics never break a job). */
export function makeRedisRunRecorder(redis: Redis, prefix: string): RunRecorder {
  const keys = runMetricsKeys(prefix);
  return {
    async runFinished(report, finishedAt) {
      const tx = redis.multi().hincrby(keys.runs, `${report.task} ${report.status}`, 1);
      // Runs of one task never overlap (global concurrency 1 + advisory lock), so last write wins safely.
      if (isSuccessfulRun(report)) tx.hset(keys.lastSuccess, report.task, String(finishedAt.getTime()));
      for (const [reason, n] of Object.entries(skipReasons(report))) tx.hincrby(keys.skips, `${report.task}\t${reason}`, n);
      await tx.exec().catch(() => undefined);
    },
    async jobFailed(task) {
      await redis.hincrby(keys.runs, `${task} job_failed`, 1).catch(() => undefined);
    },
  };
}

export interface RunFigures {
  /** task → time of its newest successful run. */
  lastSuccess: Map<string, Date>;
  runs: { task: string; status: string; count: number }[];
  skips: { task: string; reason: string; count: number }[];
}

export async function readRunFigures(redis: Redis, prefix: string): Promise<RunFigures> {
  const keys = runMetricsKeys(prefix);
  const [last, runs, skips] = await Promise.all([redis.hgetall(keys.lastSuccess), redis.hgetall(keys.runs), redis.hgetall(keys.skips)]);
  const split = (field: string, sep: string): [string, string] => {
    const at = field.indexOf(sep);
    return [field.slice(0, at), field.slice(at + sep.length)];
  };
  return {
    lastSuccess: new Map(Object.entries(last).map(([task, ms]) => [task, new Date(Number(ms))])),
    runs: Object.entries(runs).map(([f, n]) => {
      const [task, status] = split(f, ' ');
      return { task, status, count: Number(n) };
    }),
    skips: Object.entries(skips).map(([f, n]) => {
      const [task, reason] = split(f, '\t');
      return { task, reason, count: Number(n) };
    }),
  };
}
