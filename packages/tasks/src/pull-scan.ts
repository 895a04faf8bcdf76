import type { TimeWindow } from '@dlsync/runner';
import { PULL_EPOCH, pullWindow, type PullWindow } from './rules/pull-row.js';

/** DSCO refuses an `until` less than this far in the past. */
const UNTIL_MIN_AGE_MS = 5_000;

/**
 * What one windowed pull reads. A scheduled scan reads by update time from the watermark (minus
 * the overlap) and may move the watermark once it has read everything; a manual window reads by
 * creation time, keeps only [start, end) and never moves it.
 */
export type PullScan =
  | { kind: 'watermark'; updatedSince: Date; until: Date; watermark: Date; source: 'watermark' | 'epoch'; last: boolean }
  | { kind: 'manual'; window: PullWindow };

export interface PullScanInput {
  manual?: TimeWindow;
  /** The stored watermark, undefined before the first complete scheduled scan. */
  watermark: Date | undefined;
  overlapSeconds: number;
  /** Longest stretch of update time one window covers. (Default: unbounded) */
  maxWindowSeconds?: number;
  now: Date;
}

/**
 * The next window of a run. Without a watermark the scan starts at {@link PULL_EPOCH} (a table
 * that existed before the watermark was seeded from its newest order by the migration). A
 * scheduled window ends at now − 5 s, or `maxWindowSeconds` after the watermark when the backlog
 * is longer (the caller then reads the next window once this one is complete).
 */
export function planPullScan({ manual, watermark, overlapSeconds, maxWindowSeconds, now }: PullScanInput): PullScan {
  if (manual) return { kind: 'manual', window: pullWindow({ manual, maxCreateTime: undefined, lookbackSeconds: 0, now }) };
  const from = watermark ?? PULL_EPOCH;
  const latest = now.getTime() - UNTIL_MIN_AGE_MS;
  const bounded = maxWindowSeconds === undefined ? latest : Math.min(latest, from.getTime() + maxWindowSeconds * 1000);
  return {
    kind: 'watermark',
    updatedSince: new Date(from.getTime() - overlapSeconds * 1000),
    until: new Date(bounded),
    watermark: from,
    source: watermark ? 'watermark' : 'epoch',
    /** Whether this window reaches now − 5 s (no further window this run). */
    last: bounded === latest,
  };
}
