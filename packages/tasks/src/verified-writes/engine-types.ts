import type { ChangeLogKind, ChangeLogQuery, ChangeLogRead, ChangeLogReadOptions } from '@dlsync/dsco';
import type { Logger } from '@dlsync/logger';
import type { OrderResult } from '@dlsync/runner';
import { resolveBackoff, type BackoffPolicy, type Store, type WriteItemResult } from '@dlsync/store';
import type { ApplyTimes } from './apply-times.js';

/** Tuning of the verified-write engine; every field has a default. */
export interface VerifiedWriteOptions {
  /**
   * Sends of one unchanged item DSCO failed before dlsync stops re-sending it and waits for an
   * operator (or for the item's data to change, which makes it a new item). (Default: 3)
   */
  maxAttempts?: number;
  /** How long a failed item waits before the same content goes again. (Default: 60 s doubling up to 1 h) */
  backoff?: BackoffPolicy;
  /** Most polls of the change log for the run's own fresh writes before the run moves on. (Default: 10) */
  freshPolls?: number;
  /** Longest pause between those polls, in ms; the first three are 250 ms, then doubling up to this. (Default: 1000) */
  pollMs?: number;
  /** An in-doubt write is looked for from this long before its send time (clock skew), in ms. (Default: 300000) */
  windowBeforeMs?: number;
  /** …up to this long after it (never past now), in ms. (Default: 21600000, 6 h) */
  windowAfterMs?: number;
  /**
   * An in-doubt write that a complete read of its window still does not show this long after it
   * was sent never reached DSCO: its items may be sent again. (Default: 1800000, 30 min)
   */
  lostAfterMs?: number;
  /** Open writes one run settles. (Default: 1000) */
  settleLimit?: number;
}

export type ResolvedWriteOptions = Required<Omit<VerifiedWriteOptions, 'backoff'>> & { backoff: Required<BackoffPolicy> };

export function resolveWriteOptions(options: VerifiedWriteOptions = {}): ResolvedWriteOptions {
  const resolved = {
    maxAttempts: options.maxAttempts ?? 3,
    backoff: resolveBackoff(options.backoff),
    freshPolls: options.freshPolls ?? 10,
    pollMs: options.pollMs ?? 1000,
    windowBeforeMs: options.windowBeforeMs ?? 300_000,
    windowAfterMs: options.windowAfterMs ?? 21_600_000,
    lostAfterMs: options.lostAfterMs ?? 1_800_000,
    settleLimit: options.settleLimit ?? 1000,
  };
  for (const key of ['maxAttempts', 'settleLimit'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new RangeError(`${key} must be a positive integer, got ${resolved[key]}`);
  }
  for (const key of ['freshPolls', 'pollMs', 'windowBeforeMs', 'windowAfterMs', 'lostAfterMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new RangeError(`${key} must be a non-negative number, got ${resolved[key]}`);
  }
  return resolved;
}

/** Side effects the engine works through, passed in by the task (its context) or a test. */
export interface VerifiedWriteDeps {
  store: Store;
  /** Reads a DSCO change log (the DSCO client's reader; its options as it defines them). */
  readLog(
    kind: ChangeLogKind,
    query: ChangeLogQuery,
    options: Pick<ChangeLogReadOptions, 'stopWhileProcessing' | 'expectedEntries' | 'resumeFrom' | 'stopWhen'> & { signal: AbortSignal },
  ): Promise<ChangeLogRead>;
  now(): Date;
  /** Waits between polls; abortable. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
  logger: Logger;
  /**
   * Reports an order's outcome (the run's `orderDone`, whose runner also writes a skip or failure
   * reason to the row, with backoff); PO-keyed kinds only. Without it the engine writes DSCO's
   * failure reasons to the rows itself.
   */
  orderDone?(po: string, result: OrderResult, reason?: string, snapshot?: Record<string, unknown>): void;
  /** Reports an order whose write is in flight (the run's `orderInFlight`). (Default: `orderDone` waiting) */
  orderInFlight?(po: string, reason: string): void;
  /**
   * DSCO's recent apply times, learnt from the reads: a fresh write's first read waits until it
   * is about as old as the last one was when DSCO completed it. (Default: none, a fresh write is
   * read at once)
   */
  applyTimes?: ApplyTimes;
}

/** Reports `po` as waiting on a write of it that is in flight, the way `deps` can. */
export function reportInFlight(deps: VerifiedWriteDeps, po: string, reason: string): void {
  if (deps.orderInFlight) deps.orderInFlight(po, reason);
  else deps.orderDone?.(po, 'waiting', reason);
}

/** An item of a settled write, with DSCO's verdict. */
export interface SettledItem<Item> {
  item: Item;
  key: string;
  result: WriteItemResult;
  /** What the task's `metaOf` kept for the item when it was sent. */
  meta: Record<string, unknown> | undefined;
  writeId: number;
  requestId: string | null;
}

/** What a task does with the outcome of its items; the engine does the bookkeeping around it. */
export interface WriteHandlers<Item> {
  /** DSCO applied these items: advance their rows (with guarded updates; a repeat must be harmless). */
  succeeded(items: SettledItem<Item>[]): Promise<void>;
  /** DSCO refused these; the engine already put the reason on PO rows and backed them off. */
  failed?(items: SettledItem<Item>[]): Promise<void>;
  /**
   * Asked before a failure counts: true when DSCO holds the effect anyway (an invoice refused as
   * a duplicate, found with `GET /invoice`). The item then settles as a success.
   */
  holdsDespiteFailure?(item: SettledItem<Item>): Promise<boolean>;
}

/** Why the engine would not send an item now. */
export interface HeldItem<Item> {
  item: Item;
  key: string;
  why: 'open' | 'exhausted' | 'backoff';
  /** How to report it: `waiting` (it goes on by itself: DSCO answers, the backoff passes) or `skipped` (an operator must act). */
  result: 'waiting' | 'skipped';
  reason: string;
}

/** What a run's settle pass did. */
export interface SettleTally {
  settled: number;
  succeeded: number;
  failed: number;
  stillPending: number;
  inDoubt: number;
  lost: number;
  /** Writes whose change log could not be read this time (they stay open). */
  unreadable: number;
}
