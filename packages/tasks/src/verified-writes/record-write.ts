import { DscoApiError } from '@dlsync/dsco';
import { updateOpenWrite, type JsonValue, type WriteItemResult } from '@dlsync/store';
import { isRejectedBatch } from '../dsco-send.js';
import { remoteFailureCode } from '../remote-failures.js';
import { closeOpenItems, describeMessages, pendingResults } from './item-outcome.js';
import type { WriteKindSpec } from './kinds.js';
import { finish, secondOpinions, type SettleContext } from './settle-writes.js';

export interface SendContext<Item> extends SettleContext<Item> {
  spec: WriteKindSpec<Item>;
}

/** One recorded write a send made, and where it stands after the call. */
export interface SentWrite<Item> {
  writeId: number;
  items: Item[];
  /** pending: DSCO accepted it (202 with a requestId); in_doubt: the answer was lost; failure / success: settled at once. */
  state: 'pending' | 'in_doubt' | 'failure' | 'success';
  requestId: string | null;
  /** When the write was recorded (its `sent_at`): a pending write's first read waits from it. */
  sentAt: Date;
  /** Why the call failed, for the in_doubt and failure states. */
  error?: string;
  /** The failed call's code (`HTTP_502`, `ETIMEDOUT`, `HTTP_400`, …), for the in_doubt and failure states. */
  code?: string;
}

/**
 * Sends one batch as a recorded write: the dsco_write row is written (`sending`) before the
 * call, so a crash or a lost answer leaves a record that stops the same items going again.
 * Then: a 202 → `pending` with its requestId (or `in_doubt` without one); an answer lost or
 * timed out → `in_doubt`; a 400 for the whole batch (DSCO applied none of it) → settled as
 * not sent, and the batch is sent again in halves until the bad items stand alone (a single
 * item's 400 is DSCO's verdict on it); any other refusal → not sent. Returns every write the
 * batch became (one, or more when it was split).
 */
export async function sendRecorded<Item>(ctx: SendContext<Item>, batch: Item[]): Promise<SentWrite<Item>[]> {
  if (batch.length === 0) return [];
  const { deps, kind, spec } = ctx;
  const keys = batch.map((item) => kind.keyOf(item));
  const write = await deps.store.writes.record({
    kind: kind.kind,
    ...(kind.keyType === 'po' ? { poNumbers: keys } : { skus: keys }),
    body: batch as unknown as JsonValue,
  });
  const results = pendingResults(kind, batch).map((r, i) => {
    const meta = spec.metaOf?.(batch[i] as Item);
    return meta === undefined ? r : { ...r, meta };
  });
  // Kept before the call too, so a run that dies mid-call leaves the items' hashes and meta.
  if (spec.metaOf) await updateOpenWrite(deps.store.db, write.id, { state: 'sending', results });
  let answer;
  try {
    answer = await spec.send(batch, deps.signal);
  } catch (err) {
    return afterFailedCall(ctx, write, batch, results, err);
  }
  if (answer.requestId) {
    await updateOpenWrite(deps.store.db, write.id, { state: 'pending', requestId: answer.requestId, results });
    return [{ writeId: write.id, items: batch, state: 'pending', requestId: answer.requestId, sentAt: write.sent_at }];
  }
  // A 202 without a requestId cannot be looked up by id; the window search settles it.
  const error = 'accepted without a requestId';
  await updateOpenWrite(deps.store.db, write.id, { state: 'in_doubt', results, error });
  return [{ writeId: write.id, items: batch, state: 'in_doubt', requestId: null, sentAt: write.sent_at, error, code: 'NO_REQUEST_ID' }];
}

async function afterFailedCall<Item>(
  ctx: SendContext<Item>,
  { id, sent_at: sentAt }: { id: number; sent_at: Date },
  batch: Item[],
  results: WriteItemResult[],
  err: unknown,
): Promise<SentWrite<Item>[]> {
  const { deps } = ctx;
  if (isRejectedBatch(err)) {
    const reason = describeMessages(err.messages.map((m) => ({ code: m.code ?? 'HTTP_400', ...(m.description !== undefined && { description: m.description }) })));
    if (batch.length > 1) {
      await updateOpenWrite(deps.store.db, id, {
        state: 'failure',
        results: closeOpenItems(results, 'not_sent', 'batch rejected as a whole; sent again in halves'),
        error: `HTTP 400: ${reason}`,
        at: deps.now(),
      });
      const half = Math.ceil(batch.length / 2);
      return [...(await sendRecorded(ctx, batch.slice(0, half))), ...(await sendRecorded(ctx, batch.slice(half)))];
    }
    // DSCO's verdict on this one item: it counts as a failed attempt, like a change-log failure.
    const refused = results.map((r) => ({ ...r, status: 'failure' as const, reason: `HTTP 400: ${reason}`, codes: err.messages.map((m) => m.code ?? 'HTTP_400') }));
    // A refusal DSCO's own state contradicts (a duplicate invoiceId it holds) settles as a success.
    const judged = await secondOpinions(ctx, { id }, batch, refused, null);
    const state = judged.every((r) => r.status === 'success') ? 'success' : 'failure';
    await finish(ctx, id, null, batch, judged, state, state === 'failure' ? `HTTP 400: ${reason}` : null);
    return [{ writeId: id, items: batch, state, requestId: null, sentAt, ...(state === 'failure' && { error: `HTTP 400: ${reason}`, code: err.code }) }];
  }
  if (err instanceof DscoApiError && err.inDoubt) {
    deps.logger.warn('dsco write outcome unknown; it settles from the change log', { kind: ctx.kind.kind, writeId: id, code: err.code });
    await updateOpenWrite(deps.store.db, id, { state: 'in_doubt', results, error: err.message });
    // Failed for this run (the report says something went wrong); the change log settles it later.
    for (const key of ctx.kind.keyType === 'po' ? results.map((r) => r.key) : []) deps.orderDone?.(key, 'failed', `${ctx.kind.kind} send failed: ${err.code} (outcome unknown)`);
    return [{ writeId: id, items: batch, state: 'in_doubt', requestId: null, sentAt, error: err.message, code: err.code }];
  }
  if (err instanceof DscoApiError) {
    // Refused before any item was looked at (throttled past the retries, not found, not
    // authorized) or never sent: nothing was applied, so the items may go again next run.
    await updateOpenWrite(deps.store.db, id, { state: 'failure', results: closeOpenItems(results, 'not_sent', err.code), error: err.message, at: deps.now() });
    if (remoteFailureCode(err) === undefined) throw err;
    for (const key of ctx.kind.keyType === 'po' ? results.map((r) => r.key) : []) deps.orderDone?.(key, 'failed', `${ctx.kind.kind} send failed: ${err.code}`);
    return [{ writeId: id, items: batch, state: 'failure', requestId: null, sentAt, error: err.message, code: err.code }];
  }
  // Not a DSCO answer (aborted mid-call, a bug): the request may have gone out.
  await updateOpenWrite(deps.store.db, id, { state: 'in_doubt', results, error: err instanceof Error ? err.message : String(err) });
  throw err;
}

