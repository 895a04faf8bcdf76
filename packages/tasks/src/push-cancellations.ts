import type { LingxingOrder } from '@dlsync/lingxing';
import { chunk } from '@dlsync/remote';
import type { TaskContext } from '@dlsync/runner';
import { ATTENTION, type OrderRow, type SkipRecord } from '@dlsync/store';
import { remoteFailureCode } from './remote-failures.js';
import { subOrdersByPo } from './rules/push-sub-orders.js';

type Ctx = TaskContext<'push_to_lingxing'>;

/** Lingxing order statuses (`/pb/mp/order/v2/list` `status`): 6 shipped, 7 cancelled / do not ship, 9 shipped by the platform. */
const LINGXING_CANCELLED = 7;
const LINGXING_SHIPPED = 6;

/** Global order numbers per cancelOrder call (the client's maximum). */
const CANCEL_MAX = 200;

const DETAILS = ['lingxingCancelled', 'lingxingAlreadyCancelled', 'cancelledAfterShipped'] as const;

type Verdict =
  | { kind: 'cancel'; orderNos: string[] }
  | { kind: 'already_cancelled' }
  | { kind: 'shipped'; detail: string }
  | { kind: 'not_found' };

/**
 * What to do with a cancelled PO's Lingxing orders: those already cancelled need nothing; if any
 * has shipped (6, or 9 shipped by the platform) the goods are out and an operator must act, so
 * nothing is cancelled; otherwise every order not yet cancelled is cancelled. An order missing
 * from the list is not cancelled blindly (a listing that is not ours cannot be trusted).
 */
export function cancellationVerdict(subOrders: readonly Pick<LingxingOrder, 'global_order_no' | 'status'>[] | undefined): Verdict {
  if (!subOrders || subOrders.length === 0) return { kind: 'not_found' };
  const shipped = subOrders.filter((s) => s.status >= LINGXING_SHIPPED && s.status !== LINGXING_CANCELLED);
  if (shipped.length > 0) {
    return { kind: 'shipped', detail: `cancelled in DSCO after Lingxing shipped ${shipped.map((s) => `${s.global_order_no} (status ${s.status})`).join(', ')}` };
  }
  const open = subOrders.filter((s) => s.status !== LINGXING_CANCELLED).map((s) => s.global_order_no);
  return open.length === 0 ? { kind: 'already_cancelled' } : { kind: 'cancel', orderNos: open };
}

/**
 * The cancellation half of push_to_lingxing: rows cancelled in DSCO (6) after they were created
 * in Lingxing are listed there first; orders not yet shipped are cancelled ("do not ship", by
 * global_order_no) and the row records lingxing_cancelled_at; orders already shipped get the
 * operator flag `cancelled_after_shipped` instead — never silently ignored. Every cancel call is
 * recorded in the write log before it is sent. A failure backs the row off and is retried later;
 * the next run lists again first, so an answer lost on the way is never cancelled twice blindly.
 */
export async function pushCancellations(ctx: Ctx): Promise<void> {
  for (const key of DETAILS) ctx.report.detail(key, 0);
  const rows = await ctx.store.orders.listLingxingCancellable({
    limit: ctx.size,
    now: ctx.now(),
    ...(ctx.onlyPoNumber !== undefined && { poNumber: ctx.onlyPoNumber }),
  });
  for (const batch of chunk(rows, CANCEL_MAX)) await cancelBatch(ctx, batch);
}

async function cancelBatch(ctx: Ctx, rows: readonly OrderRow[]): Promise<void> {
  const pos = rows.map((r) => r.po_number);
  const failures: SkipRecord[] = [];
  const fail = (po: string, reason: string): void => {
    failures.push({ po, reason });
    ctx.orderDone(po, 'failed', reason);
  };
  let listed: Map<string, LingxingOrder[]>;
  try {
    const stores = ctx.mapping.storeIds();
    const ours = new Set(stores);
    const found = await ctx.lingxing.listOrdersByPo(pos, { include_delete: false, store_id: stores, signal: ctx.signal });
    listed = subOrdersByPo(found.filter((o) => ours.has(o.store_id)), pos);
  } catch (error) {
    const code = failureCode(ctx, error);
    for (const po of pos) fail(po, `Lingxing order list for cancellation failed: ${code}`);
    await ctx.store.orders.recordSkips(failures, 6, ctx.now());
    return;
  }

  const toCancel = new Map<string, string[]>();
  for (const po of pos) {
    const verdict = cancellationVerdict(listed.get(po));
    if (verdict.kind === 'cancel') toCancel.set(po, verdict.orderNos);
    else if (verdict.kind === 'already_cancelled') {
      if (await ctx.store.orders.markLingxingCancelled(po, ctx.now())) ctx.report.count('lingxingAlreadyCancelled');
      ctx.orderDone(po, 'ok', 'already cancelled in Lingxing');
    } else if (verdict.kind === 'shipped') {
      await ctx.store.orders.flagAttention(po, 6, ATTENTION.cancelledAfterShipped, verdict.detail);
      ctx.report.count('cancelledAfterShipped');
      ctx.logger.warn('order cancelled after Lingxing shipped it', { po_number: po, detail: verdict.detail });
      ctx.orderDone(po, 'skipped', 'cancelled in DSCO after Lingxing shipped it (flagged for operators)');
    } else fail(po, 'cancelled in DSCO but its Lingxing order is not in our stores; not cancelled');
  }
  if (toCancel.size > 0) await sendCancel(ctx, toCancel, fail);
  await ctx.store.orders.recordSkips(failures, 6, ctx.now());
}

async function sendCancel(ctx: Ctx, byPo: Map<string, string[]>, fail: (po: string, reason: string) => void): Promise<void> {
  const orderList = [...byPo.values()].flat();
  const write = await ctx.store.writes.record({ kind: 'lingxing_cancel', poNumbers: [...byPo.keys()], body: { order_list: orderList } });
  let result;
  try {
    result = await ctx.lingxing.cancelOrders({ order_list: orderList }, { signal: ctx.signal });
  } catch (error) {
    const code = failureCode(ctx, error);
    await ctx.store.writes.settle(write.id, { state: 'in_doubt', error: code });
    for (const po of byPo.keys()) fail(po, `Lingxing cancelOrder failed: ${code}`);
    return;
  }
  const failed = new Map(result.failure_info.map((f) => [f.global_order_no, f.message]));
  await ctx.store.writes.settle(write.id, {
    state: failed.size === 0 ? 'success' : 'failure',
    results: {
      success_num: result.success_num,
      fail_num: result.fail_num,
      failure_info: result.failure_info.map((f) => ({ global_order_no: f.global_order_no, message: f.message })),
    },
  });
  for (const [po, orderNos] of byPo) {
    const refused = orderNos.filter((no) => failed.has(no));
    if (refused.length > 0) {
      fail(po, `Lingxing refused to cancel ${refused.map((no) => `${no}: ${failed.get(no)}`).join('; ')}`);
      continue;
    }
    await ctx.store.orders.markLingxingCancelled(po, ctx.now());
    ctx.report.count('lingxingCancelled');
    ctx.orderDone(po, 'ok', 'cancelled in Lingxing');
  }
}

/** The failure's code, or a rethrow when it is the run's (credentials, bugs, the database). */
function failureCode(ctx: Ctx, error: unknown): string {
  ctx.signal.throwIfAborted();
  const code = remoteFailureCode(error);
  if (code === undefined) throw error;
  return code;
}
