import { chunk, packByBytes, toAcknowledgeItem, type DscoAcknowledgeItem } from '@dlsync/dsco';
import { forEachOfConcurrent } from '@dlsync/remote';
import type { TaskContext } from '@dlsync/runner';
import type { OrderRow } from '@dlsync/store';
import { ROW_CHUNK_SIZE, toCandidates } from './row-source.js';
import { failOrders } from './remote-failures.js';
import { dscoAckState, lingxingReadiness, type DscoAckState } from './rules/ack-readiness.js';
import { subOrdersByPo } from './rules/push-sub-orders.js';
import { withEarlierSettling, type VerifiedWrites } from './verified-writes/index.js';
import { makeAckWrites } from './writes/ack-writes.js';
import { writeDepsOf, writeOptionsOf } from './writes/task-write-deps.js';

type Ctx = TaskContext<'ack_to_dsco'>;

/** A row Lingxing is ready for: its DSCO creation time and the Lingxing order number to store in DSCO. */
interface Ready {
  createTime: number;
  supplierOrderNumber?: string;
}

/** PO → the rows Lingxing is ready for. */
type Candidates = Map<string, Ready>;

/** Rows per guarded batch move. */
const TRANSITION_CHUNK = 1000;
/** Row chunks screened at once: each waits on a Lingxing list call, and the acknowledgement waits on them all. */
const SCREEN_CONCURRENCY = 3;

const DETAILS = ['candidates', 'alreadyAcknowledged', 'acknowledged', 'ackCalls'] as const;

/**
 * SPEC §6 ack_to_dsco, exactly once across crashes and lost answers: first every row at 2 is
 * screened (multi_ban, Lingxing sub-orders all at 5/6); then DSCO's own record of the ready
 * POs is read in one scan, and only those DSCO has not acknowledged yet are sent. A PO DSCO
 * already acknowledged (an earlier run whose answer was lost, or that crashed before its DB
 * update) just advances. An acknowledgement is a verified write: the row moves to 3 only once
 * DSCO's order log says it was applied; a refusal leaves it at 2 with DSCO's reason, and a PO
 * whose acknowledgement is pending or in doubt is not sent again meanwhile.
 */
export async function ackToDsco(ctx: Ctx): Promise<void> {
  for (const key of DETAILS) ctx.report.detail(key, 0);
  const writes = makeAckWrites(ctx, writeDepsOf(ctx), writeOptionsOf(ctx));
  // Earlier runs' acknowledgements settle beside this run; their POs are not screened again by it.
  const { earlier, fresh } = await withEarlierSettling(ctx, writes, 2, ROW_CHUNK_SIZE, async (batches) => {
    const candidates: Candidates = new Map();
    await forEachOfConcurrent(batches, SCREEN_CONCURRENCY, async (rows) => screen(ctx, await withoutOpenWrites(ctx, rows, writes), candidates));
    ctx.report.detail('candidates', candidates.size);
    if (candidates.size > 0) await acknowledgeCandidates(ctx, candidates, writes);
  });
  ctx.report.detail('writes', { earlier, fresh });
}

/** The rows the engine has not reported this run and that have no acknowledgement pending or in doubt. */
async function withoutOpenWrites(ctx: Ctx, rows: readonly OrderRow[], writes: VerifiedWrites<DscoAcknowledgeItem>): Promise<OrderRow[]> {
  const fresh = rows.filter((r) => !writes.reported().has(r.po_number));
  const open = await writes.openKeys(fresh.map((r) => r.po_number));
  for (const po of open) ctx.orderDone(po, 'waiting', 'an acknowledgement of it is still pending or in doubt at DSCO');
  return fresh.filter((r) => !open.has(r.po_number));
}

async function acknowledgeCandidates(ctx: Ctx, candidates: Candidates, writes: VerifiedWrites<DscoAcknowledgeItem>): Promise<void> {
  const states = await readDscoStates(ctx, candidates);
  if (!states) return;
  const byState: Record<DscoAckState, string[]> = { to_acknowledge: [], acknowledged: [], cancelled: [] };
  for (const po of candidates.keys()) {
    const state = states.get(po);
    if (state) byState[state].push(po);
    else ctx.orderDone(po, 'skipped', 'not found in DSCO');
  }
  for (const po of byState.cancelled) ctx.orderDone(po, 'skipped', 'cancelled in DSCO; pull marks it 6');
  for (const pos of chunk(byState.acknowledged, TRANSITION_CHUNK)) {
    ctx.report.count('alreadyAcknowledged', await advance(ctx, pos, 'already acknowledged in DSCO'));
  }
  const items = byState.to_acknowledge.map((po) => {
    const supplierOrderNumber = candidates.get(po)?.supplierOrderNumber;
    return toAcknowledgeItem({ poNumber: po, ...(supplierOrderNumber ? { supplierOrderNumber } : {}) });
  });
  const { ready, held } = await writes.admit(items);
  for (const h of held) ctx.orderDone(h.key, h.result, h.reason);
  // Bodies filled up to DSCO's byte budget; one DSCO refuses whole is halved until the bad PO stands alone.
  const { batches: bodies, oversize } = packByBytes(ready, (item) => item);
  for (const item of oversize) ctx.orderDone(item.id, 'skipped', "the acknowledgement alone exceeds DSCO's body limit");
  await writes.send(bodies);
}

/**
 * The first Lingxing global order number on the row: DSCO stores one supplierOrderNumber per
 * order, and a PO split into sub-orders keeps its first.
 */
function firstOrderNo(value: string | null | undefined): string | undefined {
  const first = (value ?? '').split(',').map((s) => s.trim()).find(Boolean);
  return first === undefined ? undefined : first;
}

/** Keeps the rows of a batch that may be acknowledged now; skips the others with the reason. */
async function screen(ctx: Ctx, rows: readonly OrderRow[], candidates: Candidates): Promise<void> {
  const orders = new Map(toCandidates(ctx, rows, ctx.job.multi_ban).map((c) => [c.row.po_number, c.order]));
  if (orders.size === 0) return;

  const pos = [...orders.keys()];
  let subOrders;
  try {
    // Scoped to our stores: a platform number is unique per store only.
    subOrders = subOrdersByPo(await ctx.lingxing.listOrdersByPo(pos, { include_delete: false, store_id: ctx.mapping.storeIds(), signal: ctx.signal }), pos);
  } catch (error) {
    failOrders(ctx, pos, 'Lingxing order list', error);
    return;
  }
  const byPo = new Map(rows.map((r) => [r.po_number, r]));
  for (const po of pos) {
    const readiness = lingxingReadiness(subOrders.get(po));
    const row = byPo.get(po);
    const supplierOrderNumber = firstOrderNo(row?.lingxing_order_nos) ?? subOrders.get(po)?.[0]?.global_order_no;
    if (readiness.ready) candidates.set(po, { createTime: row?.dsco_create_time ?? 0, ...(supplierOrderNumber ? { supplierOrderNumber } : {}) });
    else ctx.orderDone(po, readiness.waiting ? 'waiting' : 'skipped', readiness.reason);
  }
}

/**
 * DSCO's acknowledge state of every candidate found: by PO for a single-PO run, else one scan
 * of the orders created since the oldest candidate, stopped as soon as all were seen.
 * Undefined when the read failed (the candidates are failed: sending blind could repeat an ack).
 */
async function readDscoStates(ctx: Ctx, candidates: Candidates): Promise<Map<string, DscoAckState> | undefined> {
  const states = new Map<string, DscoAckState>();
  try {
    if (ctx.onlyPoNumber !== undefined) {
      const order = await ctx.dsco.getOrderByPo(ctx.onlyPoNumber, { signal: ctx.signal });
      if (order && candidates.has(order.poNumber)) states.set(order.poNumber, dscoAckState(order));
      return states;
    }
    let oldest = Infinity;
    for (const { createTime } of candidates.values()) oldest = Math.min(oldest, createTime);
    const pages = ctx.dsco.iterateOrders({ createdSince: new Date(oldest * 1000), until: ctx.now(), signal: ctx.signal });
    for await (const page of pages) {
      for (const order of page.orders) if (candidates.has(order.poNumber)) states.set(order.poNumber, dscoAckState(order));
      if (states.size === candidates.size) break;
    }
    return states;
  } catch (error) {
    failOrders(ctx, [...candidates.keys()], 'DSCO order read', error);
    return undefined;
  }
}

/** Guarded 2 → 3 of a batch; a row that moved meanwhile is left alone. Returns how many moved. */
async function advance(ctx: Ctx, pos: readonly string[], reason: string): Promise<number> {
  if (pos.length === 0) return 0;
  const moved = new Set(await ctx.store.orders.transitionMany(pos, 2, 3));
  for (const po of pos) {
    if (moved.has(po)) ctx.orderDone(po, 'ok', reason);
    else ctx.orderDone(po, 'skipped', 'status changed meanwhile');
  }
  return moved.size;
}
