import { DSCO_BODY_BUDGET_BYTES, emptyBody, fillBodies } from '@dlsync/dsco';
import { forEachConcurrent } from '@dlsync/remote';
import { openWriteKeys } from '@dlsync/store';
import { admitItems, type Admission } from './admit-items.js';
import { reportInFlight, resolveWriteOptions, type SettleTally, type VerifiedWriteDeps, type VerifiedWriteOptions, type WriteHandlers } from './engine-types.js';
import type { WriteKindSpec } from './kinds.js';
import { sendRecorded, type SendContext, type SentWrite } from './record-write.js';
import { addTally, emptyTally, firstReadWait, pollPause, settleOpenWrites, settleWritesById, startSettling, type Settling, type StopWhen } from './settle-writes.js';

/** Two calls in flight, as the other DSCO sends: the rate limiter paces them. */
const SEND_CONCURRENCY = 2;

/**
 * The one place that sends and settles DSCO's asynchronous writes for a task run. A run:
 * 1. `settleEarlier()` — settles the kind's open writes from earlier runs (success advances
 *    rows through the task's handlers, failure puts DSCO's reason on them and backs them off);
 * 2. `openKeys()` / `admit()` — keeps back what must not be sent now;
 * 3. `send(batches)` — records each batch before its call, then tracks it; or `enqueue(items)`
 *    per chunk and `flush()` once, which fill each body up to DSCO's byte budget across the
 *    whole run (DSCO bounds a body by its bytes, not by how the task happened to chunk rows);
 * 4. `awaitFresh()` — polls briefly for the run's own writes, so a healthy pipeline still
 *    moves an order a stage per run; what is still pending is settled by the next run.
 */
export interface VerifiedWrites<Item> {
  settleEarlier(): Promise<SettleTally>;
  /**
   * `settleEarlier()` alongside the rest of the run: resolves once the open writes are loaded,
   * with their keys (the run leaves those rows out: the settle reports them) and `done`. The
   * change-log reads of the earlier writes then overlap the run's own reads and sends.
   */
  settleAlongside(): Promise<Settling>;
  /** Which of `keys` have a write of this kind still open (never send for those). */
  openKeys(keys: readonly string[]): Promise<Set<string>>;
  admit(items: readonly Item[]): Promise<Admission<Item>>;
  /** Sends each batch as one recorded write (more when DSCO rejects it whole and it is split). */
  send(batches: readonly Item[][]): Promise<SentWrite<Item>[]>;
  /**
   * Queues admitted items for bodies filled up to the byte budget across calls; a body goes as
   * soon as the queued items fill it (the next one would not fit). `wire` gives the JSON an item
   * becomes in the body. (Default: the item itself) Items too large for any body are returned,
   * never sent: the task reports them.
   */
  enqueue(items: readonly Item[], wire?: (item: Item) => unknown): Promise<{ sent: SentWrite<Item>[]; oversize: Item[] }>;
  /** Sends what is still queued (one body, not full); call it before `awaitFresh()`. */
  flush(): Promise<SentWrite<Item>[]>;
  /**
   * Bounded, abortable wait for this run's accepted writes. `leaveWhen`, asked before the first
   * poll, every 100 ms of a pause and between change-log pages, says a backlog calls for the
   * next run (the run stopped at its size with rows behind it, or a full run's worth arrived
   * meanwhile): the wait stops (a read part-way through a write's pages keeps its place), the
   * next run settles the writes alongside its own work, and their items are reported waiting.
   * (Default: never)
   */
  awaitFresh(options?: { leaveWhen?: () => Promise<boolean> }): Promise<SettleTally>;
  /** Keys (POs) the engine has reported an outcome for in this run, so the task reports them once. */
  reported(): ReadonlySet<string>;
}

/** The engine's options plus the size of the bodies its queue fills. */
export interface EngineOptions extends VerifiedWriteOptions {
  /** Bytes one body `enqueue` fills may carry. (Default: DSCO_BODY_BUDGET_BYTES, 10 % under DSCO's 5 MB) */
  bodyBudgetBytes?: number;
}

export function makeVerifiedWrites<Item>(
  deps: VerifiedWriteDeps,
  spec: WriteKindSpec<Item>,
  handlers: WriteHandlers<Item>,
  { bodyBudgetBytes = DSCO_BODY_BUDGET_BYTES, ...options }: EngineOptions = {},
): VerifiedWrites<Item> {
  const reported = new Set<string>();
  const tracked: VerifiedWriteDeps = {
    ...deps,
    ...(deps.orderDone && {
      orderDone: (po, result, reason, snapshot) => {
        reported.add(po);
        deps.orderDone?.(po, result, reason, snapshot);
      },
    }),
    ...(deps.orderInFlight && {
      orderInFlight: (po, reason) => {
        reported.add(po);
        deps.orderInFlight?.(po, reason);
      },
    }),
  };
  const ctx: SendContext<Item> = { deps: tracked, kind: spec, spec, handlers, options: resolveWriteOptions(options) };
  /** The run's accepted writes still open: write id → its keys and when it was recorded. */
  const fresh = new Map<number, { keys: string[]; sentAt: Date }>();
  let queued = emptyBody<Item>();
  async function send(batches: readonly Item[][]): Promise<SentWrite<Item>[]> {
    const sent: SentWrite<Item>[] = [];
    await forEachConcurrent(batches, SEND_CONCURRENCY, async (batch) => {
      for (const write of await sendRecorded(ctx, [...batch])) {
        if (write.state === 'pending') fresh.set(write.writeId, { keys: write.items.map((item) => spec.keyOf(item)), sentAt: write.sentAt });
        sent.push(write);
      }
    });
    return sent;
  }
  return {
    settleEarlier: () => settleOpenWrites(ctx),
    settleAlongside: () => startSettling(ctx),
    openKeys: (keys) => openWriteKeys(deps.store.db, spec.kind, keys),
    admit: (items) => admitItems(ctx, items),
    send,
    async enqueue(items, wire = (item) => item) {
      const packed = fillBodies(queued, items, wire, bodyBudgetBytes);
      queued = packed.open;
      return { sent: await send(packed.full), oversize: packed.oversize };
    },
    async flush() {
      const last = queued.items;
      queued = emptyBody();
      return send(last.length > 0 ? [last] : []);
    },
    async awaitFresh({ leaveWhen } = {}) {
      const total = emptyTally();
      const pause = (ms: number): Promise<boolean> => pauseUnless(deps, ms, leaveWhen);
      let left = false;
      for (let poll = 0; fresh.size > 0 && !left; poll++) {
        const firstRead = poll === 0 ? firstReadWait(deps, spec.kind, [...fresh.values()].map((w) => w.sentAt)) : 0;
        left = (poll === 0 && (await leaveWhen?.()) === true) || (firstRead > 0 && (await pause(firstRead)));
        if (left) break;
        const last = poll >= ctx.options.freshPolls;
        // A backlog that arrives while a write's pages are read stops the read at a page: the
        // next run continues it there, beside its own sends.
        const { tally, open, stopped } = await settleWritesById(ctx, new Set(fresh.keys()), last, !last, leaveWhen);
        addTally(total, { ...tally, stillPending: 0 });
        for (const id of [...fresh.keys()]) if (!open.includes(id)) fresh.delete(id);
        left = stopped;
        if (left || fresh.size === 0 || last) break;
        // Quick writes settle quickly: 250 ms three times, then doubling up to pollMs.
        left = await pause(pollPause(ctx.options, poll));
      }
      if (left) leaveAll(tracked, spec, fresh);
      // What is still pending now is left to the next run's settle pass.
      total.stillPending = fresh.size;
      fresh.clear();
      return total;
    },
    reported: () => reported,
  };
}

/**
 * How often a wait on the run's own writes asks whether a backlog calls for the next run: a batch
 * that lands during DSCO's apply delay is sent by the next run at once, not after the wait.
 */
const LEAVE_CHECK_MS = 100;

/** Sleeps `ms`, in slices, until `leaveWhen` says to go; true when it did. */
async function pauseUnless(deps: VerifiedWriteDeps, ms: number, leaveWhen: StopWhen | undefined): Promise<boolean> {
  if (!leaveWhen) {
    await deps.sleep(ms, deps.signal);
    return false;
  }
  for (let left = ms; left > 0; left -= LEAVE_CHECK_MS) {
    await deps.sleep(Math.min(LEAVE_CHECK_MS, left), deps.signal);
    if (await leaveWhen()) return true;
  }
  return false;
}

function leaveAll<Item>(deps: VerifiedWriteDeps, spec: WriteKindSpec<Item>, fresh: ReadonlyMap<number, { keys: string[] }>): void {
  if (spec.keyType !== 'po') return;
  for (const { keys } of fresh.values()) for (const key of keys) reportInFlight(deps, key, `its ${spec.kind} was sent to DSCO; the next run reads the change log`);
}
