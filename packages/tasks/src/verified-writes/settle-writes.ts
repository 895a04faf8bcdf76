import { changeLogSubject, type ChangeLogReadOptions, type ChangeLogResume } from '@dlsync/dsco';
import {
  listOpenWritesOfKind,
  openWriteStates,
  requestIdsOfOtherWrites,
  updateOpenWrite,
  type JsonValue,
  type WriteItemResult,
  type SettlementWriteRow as WriteRow,
} from '@dlsync/store';
import { remoteFailureCode } from '../remote-failures.js';
import { reportInFlight, type ResolvedWriteOptions, type SettledItem, type SettleTally, type VerifiedWriteDeps, type WriteHandlers } from './engine-types.js';
import { applyEntries, closeOpenItems, storedResults, writeStateOf } from './item-outcome.js';
import type { WriteKindBase } from './kinds.js';

export interface SettleContext<Item> {
  deps: VerifiedWriteDeps;
  kind: WriteKindBase<Item>;
  handlers: WriteHandlers<Item>;
  options: ResolvedWriteOptions;
}

/** How long after its send a write DSCO still processes is read one page at a time. */
const RECENT_WRITE_MS = 5 * 60_000;

export const emptyTally = (): SettleTally => ({ settled: 0, succeeded: 0, failed: 0, stillPending: 0, inDoubt: 0, lost: 0, unreadable: 0 });

/** Settles every open write of the kind, oldest first (earlier writes before anything new is sent). */
export async function settleOpenWrites<Item>(ctx: SettleContext<Item>): Promise<SettleTally> {
  return (await startSettling(ctx, { alongside: false })).done;
}

/** Open writes being settled: the keys they cover (known once loaded) and the settle's end. */
export interface Settling {
  /** Every key (PO or SKU) of the writes taken on: the settle reports these, the run leaves them out. */
  keys: ReadonlySet<string>;
  /** Says the run's other work is done: writes DSCO is still applying get their last read now. */
  stop(): void;
  done: Promise<SettleTally>;
}

/** Pause between the first polls of a write DSCO is still applying; later ones double up to `pollMs`. */
export const FIRST_POLL_MS = 250;

/**
 * Pauses at {@link FIRST_POLL_MS} before doubling: DSCO applies a healthy write within about a
 * second, and a verdict read a quarter second late holds every order of the write that long; a
 * slow write still backs off.
 */
const SHORT_PAUSES = 3;

export const pollPause = (options: ResolvedWriteOptions, poll: number): number =>
  Math.min(options.pollMs, FIRST_POLL_MS * 2 ** Math.max(0, poll - SHORT_PAUSES + 1));

/** How long before reading writes sent at `sentAts` DSCO is likely to have applied the youngest (0 without apply times). */
export function firstReadWait(deps: VerifiedWriteDeps, kind: string, sentAts: readonly Date[]): number {
  return Math.max(0, ...sentAts.map((sentAt) => deps.applyTimes?.waitBeforeFirstRead(kind, sentAt) ?? 0));
}

export function addTally(into: SettleTally, add: SettleTally): void {
  for (const key of Object.keys(into) as (keyof SettleTally)[]) into[key] += add[key];
}

/**
 * Loads the kind's open writes (oldest first, up to `settleLimit`) and starts settling them;
 * resolves once they are loaded. Writes sent moments ago (the run before this one left them)
 * are usually still being applied: while DSCO says PROCESSING their pending entries fill every
 * page, so they are polled a first page at a time, as long as the run's other work goes on
 * (until `stop()`), then read once more and reported. Older ones are read whole at once, so
 * verdicts DSCO has given are not held back by the ones it has not. `done` never rejects
 * before it is awaited: a failure is held until then, so a run that fails elsewhere first
 * loses nothing. Without `alongside` nothing else goes on: every write gets one read.
 */
export async function startSettling<Item>(ctx: SettleContext<Item>, { alongside = true } = {}): Promise<Settling> {
  const open = await listOpenWritesOfKind(ctx.deps.store.db, ctx.kind.kind, { limit: ctx.options.settleLimit });
  const keys = new Set(open.flatMap((w) => (ctx.kind.keyType === 'po' ? w.po_numbers : w.skus)));
  const now = ctx.deps.now().getTime();
  const recent = new Set(open.filter((w) => now - w.sent_at.getTime() < RECENT_WRITE_MS).map((w) => w.id));
  let stopped = !alongside;
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const tally = emptyTally();
  const run = (async () => {
    for (const write of open) if (!recent.has(write.id)) await settleGuarded(ctx, write, tally, true);
    // Reading the recent ones before DSCO could have applied them settles nothing.
    const firstRead = firstReadWait(ctx.deps, ctx.kind.kind, open.filter((w) => recent.has(w.id)).map((w) => w.sent_at));
    if (firstRead > 0 && !stopped) await Promise.race([ctx.deps.sleep(firstRead, ctx.deps.signal), stopping]);
    let ids: ReadonlySet<number> = recent;
    for (let poll = 0; ids.size > 0; poll++) {
      const last = stopped;
      const polled = await settleWritesById(ctx, ids, last, true);
      // Only the last read counts what is still open (and unreadable), so a write counts once.
      addTally(tally, last ? polled.tally : { ...polled.tally, stillPending: 0, unreadable: 0 });
      ids = new Set(polled.open);
      if (last || ids.size === 0) break;
      await Promise.race([ctx.deps.sleep(pollPause(ctx.options, poll), ctx.deps.signal), stopping]);
    }
    return tally;
  })();
  // Observed here so a rejection waits for the caller's await instead of crashing the process.
  run.catch(() => undefined);
  return {
    keys,
    stop: () => {
      stopped = true;
      wake();
    },
    done: run,
  };
}

/**
 * {@link settleWrite}, but a change log DSCO cannot serve right now (down, throttled past the
 * retries) leaves the write open for the next run instead of failing this one; what is not a
 * remote failure (credentials refused, a bug, the database) still fails the run.
 */
async function settleGuarded<Item>(ctx: SettleContext<Item>, write: WriteRow, tally: SettleTally, report: boolean, poll = false, stopWhen?: StopWhen): Promise<boolean> {
  try {
    return await settleWrite(ctx, write, tally, report, poll, stopWhen);
  } catch (err) {
    ctx.deps.signal.throwIfAborted();
    const code = remoteFailureCode(err);
    if (code === undefined) throw err;
    tally.unreadable++;
    ctx.deps.logger.warn('dsco change log unreadable; the write stays open', { kind: ctx.kind.kind, writeId: write.id, code });
    if (report && ctx.kind.keyType === 'po') for (const po of write.po_numbers) reportInFlight(ctx.deps, po, `DSCO change log unreadable (${code}); its ${ctx.kind.kind} write settles later`);
    return false;
  }
}

/** Asked between change-log pages (the reader's `stopWhen`): true makes the read stop there and keep its place. */
export type StopWhen = NonNullable<ChangeLogReadOptions['stopWhen']>;

/**
 * Settles the given writes (by id) that are still open; for the brief wait on a run's own
 * writes. Items still pending are reported only when `report` (the wait's last poll), so an
 * order is reported once per run; the polls before it read only the first page of a request
 * DSCO is still processing. When `stopWhen` stops a read part-way, the write keeps its place in
 * its scroll for the next settle, the writes after it are not read, and `stopped` says so.
 */
export async function settleWritesById<Item>(
  ctx: SettleContext<Item>,
  ids: ReadonlySet<number>,
  report: boolean,
  onePageWhileProcessing = !report,
  stopWhen?: StopWhen,
): Promise<{ tally: SettleTally; open: number[]; stopped: boolean }> {
  const tally = emptyTally();
  const mine = await listOpenWritesOfKind(ctx.deps.store.db, ctx.kind.kind, { limit: ctx.options.settleLimit, ids: [...ids] });
  let stopped = false;
  for (const write of mine) {
    stopped = await settleGuarded(ctx, write, tally, report, onePageWhileProcessing, stopWhen);
    if (stopped) break;
  }
  const after = await openWriteStates(ctx.deps.store.db, ctx.kind.kind, [...ids]);
  return { tally, open: after.filter((w) => w.state === 'pending').map((w) => w.id), stopped };
}

/**
 * One open write: an in-doubt one (or one left `sending` by a run that died: the task's lock
 * means no other run of it is sending now) is first found in its change log by time window,
 * then every write is read by requestId. Its effects are applied before the write is marked
 * settled, so a crash in between re-applies them next run (the handlers' updates are guarded).
 * A `poll` reads only the first page while DSCO is still processing the request: a batch's
 * pending entries fill every page, and the read after completion sees each item's verdict.
 * A read an earlier settle stopped part-way continues at its page; one `stopWhen` stops keeps
 * the verdicts it read and its place (true is returned), so no page is read twice.
 */
export async function settleWrite<Item>(
  ctx: SettleContext<Item>,
  write: WriteRow,
  tally: SettleTally,
  report = true,
  poll = false,
  stopWhen?: StopWhen,
): Promise<boolean> {
  const { deps, kind } = ctx;
  const items = Array.isArray(write.body) ? (write.body as unknown as Item[]) : [];
  let results = storedResults(kind, write.results, items);
  let requestId = write.request_id;

  if (requestId === null) {
    const found = await findByWindow(ctx, write, items);
    if (found === 'lost') {
      results = closeOpenItems(results, 'lost', 'DSCO never showed this write in its change log: it was not received; it may be sent again');
      tally.lost++;
      await finish(ctx, write.id, null, items, results, 'failure', 'not received by DSCO');
      return false;
    }
    if (found === undefined) {
      tally.inDoubt++;
      if (write.state === 'sending') await updateOpenWrite(deps.store.db, write.id, { state: 'in_doubt', results, error: 'outcome of the call unknown' });
      if (report) reportOpen(ctx, results, 'a write of it is in doubt at DSCO (answer lost); waiting for its change log');
      return false;
    }
    requestId = found;
    await updateOpenWrite(deps.store.db, write.id, { state: 'pending', requestId, results });
  }

  // A place kept in this request's scroll (never one of another request found since).
  const resume = requestId === write.request_id ? logResumeOf(write.log_resume) : undefined;
  const read = await deps.readLog(
    kind.log,
    { requestId },
    { signal: deps.signal, expectedEntries: items.length, ...(poll && { stopWhileProcessing: true }), ...(resume && { resumeFrom: resume }), ...(stopWhen && { stopWhen }) },
  );
  // A read that went on from a kept place learnt its request's status before: no news of DSCO's pace.
  if (!resume && (read.requestStatus === 'PROCESSING' || read.requestStatus === 'COMPLETED')) deps.applyTimes?.observe(kind.kind, write.id, write.sent_at, read.requestStatus === 'COMPLETED');
  const before = results;
  results = applyEntries(kind, results, read.entries, read.complete ? read.requestStatus : undefined);
  results = await secondOpinions(ctx, write, items, results, requestId);
  const state = writeStateOf(results);
  const stopped = read.resume !== undefined;
  if (state === 'pending') {
    tally.stillPending++;
    // A poll that learnt nothing new leaves the row alone (its results are a megabyte's tenth).
    const learnt = write.state !== 'pending' || write.request_id !== requestId || !sameOutcomes(before, results) || stopped || resume !== undefined;
    if (learnt) await updateOpenWrite(deps.store.db, write.id, { state: 'pending', requestId, results, logResume: read.resume ? resumeJson(read.resume) : null });
    if (report && !stopped) reportOpen(ctx, results, `DSCO is still applying its write (request ${requestId})`);
    return stopped;
  }
  await finish(ctx, write.id, requestId, items, results, state, null);
  tally.settled++;
  tally.succeeded += results.filter((r) => r.status === 'success').length;
  tally.failed += results.filter((r) => r.status === 'failure').length;
  return false;
}

/** The place a write's row keeps in its change-log scroll, when it holds a well-formed one. */
function logResumeOf(value: unknown): ChangeLogResume | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { scrollId, entriesRead, requestStatus } = value as Record<string, unknown>;
  if (typeof scrollId !== 'string' || scrollId === '' || typeof entriesRead !== 'number' || !Number.isInteger(entriesRead) || entriesRead < 0) return undefined;
  return { scrollId, entriesRead, ...(typeof requestStatus === 'string' && { requestStatus }) };
}

function resumeJson(resume: ChangeLogResume): JsonValue {
  return { scrollId: resume.scrollId, entriesRead: resume.entriesRead, ...(resume.requestStatus !== undefined && { requestStatus: resume.requestStatus }) };
}

/** Applies a settled write's effects, then marks it settled. */
export async function finish<Item>(
  ctx: SettleContext<Item>,
  writeId: number,
  requestId: string | null,
  items: readonly Item[],
  results: WriteItemResult[],
  state: 'success' | 'failure',
  error: string | null,
): Promise<void> {
  const settled = (status: WriteItemResult['status']): SettledItem<Item>[] =>
    results.flatMap((result, i) => (result.status === status ? [{ item: items[i] as Item, key: result.key, result, meta: metaOf(result), writeId, requestId }] : []));
  const ok = settled('success');
  if (ok.length > 0) await ctx.handlers.succeeded(ok);
  const refused = settled('failure');
  const lost = settled('lost');
  await recordOnRows(ctx, [...refused, ...lost]);
  if (refused.length > 0) await ctx.handlers.failed?.(refused);
  await updateOpenWrite(ctx.deps.store.db, writeId, { state, results, at: ctx.deps.now(), ...(error !== null && { error }) });
}

/**
 * Puts DSCO's reason on the order rows still waiting at the kind's status (last_error, one
 * more attempt, next_attempt_at after backoff). In a task run that is the runner's job: every
 * failure reported through `orderDone` is written to its row, once per run; without a report
 * (a caller outside a run) the engine writes it itself.
 */
export async function recordOnRows<Item>(ctx: SettleContext<Item>, items: readonly SettledItem<Item>[]): Promise<void> {
  if (items.length === 0 || ctx.kind.keyType !== 'po' || ctx.kind.rowStatus === undefined) return;
  const reasons = items.map((s) => ({ po: s.key, reason: `DSCO ${s.result.status === 'lost' ? 'did not receive' : 'refused'} the ${ctx.kind.kind}: ${s.result.reason ?? 'no reason given'}` }));
  const report = ctx.deps.orderDone;
  if (report) for (const { po, reason } of reasons) report(po, 'failed', reason);
  else await ctx.deps.store.orders.recordSkips(reasons, ctx.kind.rowStatus, ctx.deps.now());
}

/** Lets the task overturn failures DSCO's own state contradicts (a duplicate invoice it holds). */
export async function secondOpinions<Item>(
  ctx: SettleContext<Item>,
  write: Pick<WriteRow, 'id'>,
  items: readonly Item[],
  results: WriteItemResult[],
  requestId: string | null,
): Promise<WriteItemResult[]> {
  const ask = ctx.handlers.holdsDespiteFailure;
  if (!ask) return results;
  const out: WriteItemResult[] = [];
  for (const [i, result] of results.entries()) {
    const holds = result.status === 'failure' && (await ask({ item: items[i] as Item, key: result.key, result, meta: metaOf(result), writeId: write.id, requestId }));
    out.push(holds ? { ...result, status: 'success', reason: `DSCO refused it (${result.reason ?? ''}) but already holds it` } : result);
  }
  return out;
}

function sameOutcomes(a: readonly WriteItemResult[], b: readonly WriteItemResult[]): boolean {
  return a.length === b.length && a.every((r, i) => r.status === b[i]!.status && r.reason === b[i]!.reason);
}

function metaOf(result: WriteItemResult): Record<string, unknown> | undefined {
  const meta = result.meta;
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
}

function reportOpen<Item>(ctx: SettleContext<Item>, results: readonly WriteItemResult[], reason: string): void {
  if (ctx.kind.keyType !== 'po') return;
  for (const r of results) if (r.status === 'pending') reportInFlight(ctx.deps, r.key, reason);
}

/**
 * The requestId of an in-doubt write, found in its change log's startDate/endDate window
 * around the send: entries about its items (same key, and for shipments one of the same
 * tracking numbers) under a requestId no other write holds. 'lost' when a complete read of a
 * window that ended long enough after the send shows none; undefined while it may still appear.
 */
async function findByWindow<Item>(ctx: SettleContext<Item>, write: WriteRow, items: readonly Item[]): Promise<string | 'lost' | undefined> {
  const { deps, kind, options } = ctx;
  const sentAt = write.sent_at.getTime();
  const nowMs = deps.now().getTime();
  const startDate = new Date(sentAt - options.windowBeforeMs);
  const endDate = new Date(Math.max(startDate.getTime() + 1, Math.min(nowMs, sentAt + options.windowAfterMs)));
  const read = await deps.readLog(kind.log, { startDate, endDate }, { signal: deps.signal });
  const byKey = new Map(items.map((item) => [kind.keyOf(item), item]));
  const votes = new Map<string, number>();
  for (const entry of read.entries) {
    if (!entry.requestId) continue;
    const subject = changeLogSubject(kind.log, entry.payload);
    const key = kind.keyOfSubject(subject);
    const item = key === undefined ? undefined : byKey.get(key);
    if (item === undefined || (kind.sameItem && !kind.sameItem(item, subject))) continue;
    votes.set(entry.requestId, (votes.get(entry.requestId) ?? 0) + 1);
  }
  const taken = await requestIdsOfOtherWrites(deps.store.db, [...votes.keys()], write.id);
  const best = [...votes.entries()].filter(([id]) => !taken.has(id)).sort((a, b) => b[1] - a[1])[0];
  if (best) {
    deps.logger.info('dsco in-doubt write found in its change log', { kind: kind.kind, writeId: write.id, requestId: best[0] });
    return best[0];
  }
  return read.complete && nowMs - sentAt >= options.lostAfterMs && endDate.getTime() >= sentAt + Math.min(options.lostAfterMs, options.windowAfterMs)
    ? 'lost'
    : undefined;
}
