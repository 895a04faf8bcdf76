import type { CreateOrderInput } from '@dlsync/lingxing';
import { chunk, forEachConcurrent, forEachOfConcurrent } from '@dlsync/remote';
import type { TaskContext } from '@dlsync/runner';
import type { OrderRow } from '@dlsync/store';
import { pushCancellations } from './push-cancellations.js';
import { rowChunksAtStatus, toCandidates } from './row-source.js';
import { failOrders } from './remote-failures.js';
import { buildLingxingOrder, type LingxingOrderInput } from './rules/lingxing-order.js';
import { createdOrderNos, isDuplicateOrderError, joinOrderNos, subOrdersByPo } from './rules/push-sub-orders.js';

type Ctx = TaskContext<'push_to_lingxing'>;

/** Orders per `/pb/mp/order/v2/create` call (the API maximum). */
const CREATE_MAX = 200;
/**
 * Create calls of one batch in flight at once. Lingxing's create bucket holds 10 per appId and
 * the client's shared limiter enforces it fleet-wide; this only bounds one run's share.
 */
const CREATE_CONCURRENCY = 4;
/**
 * Row chunks of one run worked at once: a chunk is a chain of round trips (rows, pre-check list,
 * creates, guarded move), and the next stages wait on the orders it moves, so the next chunk's
 * round trips overlap this one's instead of following them. Five: a 1,000-row run moves all its
 * chunks at once (the first 1,000 orders are what the first acknowledgement waits on); the
 * create bucket's 10 in flight still bound the calls.
 */
const CHUNK_CONCURRENCY = 5;

interface Advance {
  po: string;
  globalOrderNos: string[];
  reason?: string;
}

const DETAILS = ['alreadyInLingxing', 'created', 'createCalls', 'duplicatesRechecked'] as const;

/**
 * SPEC §6 push_to_lingxing. Nothing is created twice: every batch first asks Lingxing which of
 * its POs already exist (a crash after an earlier create, or a lost response) and only records
 * those; a create whose retry reports "already exists" is settled by listing the PO again. A
 * create that fails outright leaves its orders at 1 for the next run's pre-check.
 */
export async function pushToLingxing(ctx: Ctx): Promise<void> {
  for (const key of DETAILS) ctx.report.detail(key, 0);
  // Orders cancelled in DSCO after they reached Lingxing are cancelled there (or flagged) first.
  await pushCancellations(ctx);
  await forEachOfConcurrent(rowChunksAtStatus(ctx, 1), CHUNK_CONCURRENCY, (rows) => pushBatch(ctx, rows));
}

async function pushBatch(ctx: Ctx, rows: readonly OrderRow[]): Promise<void> {
  const skip = (po: string, reason: string): void => ctx.orderDone(po, 'skipped', reason);
  const orders = new Map(toCandidates(ctx, rows, false).map((c) => [c.row.po_number, c.order]));
  if (orders.size === 0) return;

  const existing = await listByPo(ctx, [...orders.keys()]);
  if (!existing) return;
  ctx.report.count('alreadyInLingxing', existing.size);
  await advance(ctx, [...existing].map(([po, globalOrderNos]) => ({ po, globalOrderNos, reason: 'already in Lingxing' })));

  const byStore = new Map<string, LingxingOrderInput[]>();
  for (const [po, order] of orders) {
    if (existing.has(po)) continue;
    const built = buildLingxingOrder(order, ctx.mapping, ctx.config.dsco.line_key);
    if (!built.ok) {
      skip(po, built.reason);
      continue;
    }
    const list = byStore.get(built.storeId) ?? [];
    list.push(built.order);
    byStore.set(built.storeId, list);
  }
  const calls = [...byStore].flatMap(([storeId, list]) => chunk(list, CREATE_MAX).map((chunked) => ({ storeId, orders: chunked })));
  await forEachConcurrent(calls, CREATE_CONCURRENCY, (call) => createChunk(ctx, call.storeId, call.orders));
}

/**
 * global_order_no per PO already in Lingxing, or undefined when the list call failed (the
 * POs are then failed: creating without knowing could duplicate them).
 */
async function listByPo(ctx: Ctx, pos: string[]): Promise<Map<string, string[]> | undefined> {
  try {
    // A platform number is unique per store only: an order of another store is not ours.
    const stores = ctx.mapping.storeIds();
    const ours = new Set(stores);
    const found = await ctx.lingxing.listOrdersByPo(pos, { include_delete: false, store_id: stores, signal: ctx.signal });
    const inOurStores = found.filter((o) => ours.has(o.store_id));
    return new Map([...subOrdersByPo(inOurStores, pos)].map(([po, subs]) => [po, subs.map((s) => s.global_order_no)]));
  } catch (error) {
    failOrders(ctx, pos, 'Lingxing order list', error);
    return undefined;
  }
}

async function createChunk(ctx: Ctx, storeId: string, orders: readonly LingxingOrderInput[]): Promise<void> {
  const pos = orders.map((o) => o.platform_order_no);
  let result;
  try {
    const body = orders.map((o): CreateOrderInput => ({ ...o }));
    result = await ctx.lingxing.createOrders({ platform_code: ctx.platformCode, store_id: storeId, orders: body }, { signal: ctx.signal });
  } catch (error) {
    failOrders(ctx, pos, 'Lingxing order create', error);
    return;
  } finally {
    ctx.report.count('createCalls');
  }

  const sent = new Set(pos);
  const created = createdOrderNos(result.success_details.filter((s) => sent.has(s.platform_order_no)));
  ctx.report.count('created', created.size);
  const advances: Advance[] = [...created].map(([po, globalOrderNos]) => ({ po, globalOrderNos }));
  const duplicates = new Map<string, string>();
  const answered = new Set(created.keys());
  for (const { platform_order_no: po, error_message: message } of result.error_details) {
    if (!sent.has(po) || answered.has(po)) continue;
    answered.add(po);
    if (isDuplicateOrderError(message)) duplicates.set(po, message);
    else ctx.orderDone(po, 'skipped', `Lingxing refused the order: ${message}`);
  }
  for (const po of pos) if (!answered.has(po)) ctx.orderDone(po, 'failed', 'Lingxing create gave no result for the order');

  if (duplicates.size > 0) {
    ctx.report.count('duplicatesRechecked', duplicates.size);
    const found = await listByPo(ctx, [...duplicates.keys()]);
    for (const [po, message] of found ? duplicates : []) {
      const globalOrderNos = found?.get(po);
      if (globalOrderNos) advances.push({ po, globalOrderNos, reason: 'already in Lingxing' });
      else ctx.orderDone(po, 'skipped', `Lingxing refused the order: ${message}`);
    }
  }
  await advance(ctx, advances);
}

/** Guarded 1 → 2 with the Lingxing order numbers, one statement per batch; a row that moved meanwhile is left alone. */
async function advance(ctx: Ctx, advances: readonly Advance[]): Promise<void> {
  const moved = new Set(
    await ctx.store.orders.transitionEach(
      advances.map(({ po, globalOrderNos }) => ({ po, patch: { lingxing_order_nos: joinOrderNos(globalOrderNos) } })),
      1,
      2,
    ),
  );
  for (const { po, reason } of advances) {
    if (moved.has(po)) ctx.orderDone(po, 'ok', reason);
    else ctx.orderDone(po, 'skipped', 'status changed meanwhile');
  }
}

