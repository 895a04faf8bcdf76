import type { TaskName } from '@dlsync/config';

/**
 * What happened to one order in a run. `waiting` = nothing is wrong, the other side has not got
 * there yet (Lingxing not shipped, DSCO still applying a write): the row comes back after a short
 * fixed delay instead of backing off like a skip, and it never makes a run partial.
 */
export type OrderResult = 'ok' | 'skipped' | 'failed' | 'waiting';

/** Per-result counts; `waiting` appears only when some order waited. */
export type ReportCounts = { ok: number; skipped: number; failed: number; waiting?: number };
export type RunStatus = 'ok' | 'partial' | 'failed' | 'locked';

export interface ReportItem {
  po_number?: string;
  result: OrderResult;
  reason?: string;
  [field: string]: unknown;
}

/** What a run returns to its caller (and a BullMQ job stores as its return value). */
export interface Report {
  runId: string;
  task: TaskName;
  status: RunStatus;
  trigger: string;
  configVersion?: number;
  startedAt: string;
  durationMs: number;
  counts: ReportCounts;
  /** Skips and failures per reason, so a capped `items` list still tells the whole story. */
  reasons: Record<string, number>;
  /** Per-order outcomes, the first `maxItems` of them. */
  items: ReportItem[];
  /** Items left out of `items` by the cap. */
  itemsOmitted: number;
  /** Task-specific figures (e.g. pulled, created, sent, diff, mismatches). */
  details: Record<string, unknown>;
  /** Why the run failed, when status is `failed`. */
  error?: string;
}

export interface ReportBuilder {
  add(item: ReportItem): void;
  detail(key: string, value: unknown): void;
  /** Adds `by` to a numeric detail. */
  count(key: string, by?: number): void;
  readonly counts: Readonly<ReportCounts>;
}

export function makeReportBuilder(maxItems: number): ReportBuilder & {
  finish(base: Omit<Report, 'counts' | 'reasons' | 'items' | 'itemsOmitted' | 'details'>): Report;
} {
  const counts: ReportCounts = { ok: 0, skipped: 0, failed: 0 };
  const reasons: Record<string, number> = {};
  const items: ReportItem[] = [];
  const details: Record<string, unknown> = {};
  let omitted = 0;
  return {
    counts,
    add(item) {
      counts[item.result] = (counts[item.result] ?? 0) + 1;
      if (item.result !== 'ok' && item.reason) reasons[item.reason] = (reasons[item.reason] ?? 0) + 1;
      if (items.length < maxItems) items.push(item);
      else omitted++;
    },
    detail(key, value) {
      details[key] = value;
    },
    count(key, by = 1) {
      details[key] = (typeof details[key] === 'number' ? (details[key] as number) : 0) + by;
    },
    finish: (base) => ({ ...base, counts: { ...counts }, reasons, items, itemsOmitted: omitted, details }),
  };
}
