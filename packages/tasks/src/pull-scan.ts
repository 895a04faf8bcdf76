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
  | { kind: 'watermark'; updatedSince: Date; until: Date; watermark: Date; source: 'watermark' | 'epoch' }
  | { kind: 'manual'; window: PullWindow };

export interface PullScanInput {
  manual?: TimeWindow;
  /** The stored watermark, undefined before the first complete scheduled scan. */
  watermark: Date | undefined;
  overlapSeconds: number;
  now: Date;
}

/**
 * The scan of one run. Without a watermark the scan starts at {@link PULL_EPOCH} (a table that
 * existed before the watermark was seeded from its newest order by the migration).
 */
export function planPullScan({ manual, watermark, overlapSeconds, now }: PullScanInput): PullScan {
  if (manual) return { kind: 'manual', window: pullWindow({ manual, maxCreateTime: undefined, lookbackSeconds: 0, now }) };
  const from = watermark ?? PULL_EPOCH;
  return {
    kind: 'watermark',
    updatedSince: new Date(from.getTime() - overlapSeconds * 1000),
    until: new Date(now.getTime() - UNTIL_MIN_AGE_MS),
    watermark: from,
    source: watermark ? 'watermark' : 'epoch',
  };
}
