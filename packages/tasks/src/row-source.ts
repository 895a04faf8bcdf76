import type { TaskContext } from '@dlsync/runner';
import type { OrderRow, OrderStatus } from '@dlsync/store';
import { isMultiItem, parseDscoOrder, type DscoOrder } from './rules/index.js';

/** Rows handled together: the Lingxing list/WMS maximum, so one chunk costs one list call. */
export const ROW_CHUNK_SIZE = 200;

/**
 * Rows handled together by a task that reads DSCO's state first: one DSCO page (1,000 orders),
 * so the read costs about one page call per chunk; the Lingxing helpers split their own calls
 * to 200 POs.
 */
export const DSCO_PAGE_CHUNK_SIZE = 1000;

const EVERY_ROW_DUE = new Date('9999-12-31T00:00:00Z');

/** A row the task may act on, with its stored DSCO payload parsed. */
export interface Candidate {
  row: OrderRow;
  order: DscoOrder;
}

export interface RowChunkOptions {
  /** POs the run leaves out (another part of it is handling them). (Default: none) */
  exclude?: ReadonlySet<string>;
  /** Called when the run stopped at its size with due rows still waiting: a backlog. */
  onMore?: () => void;
}

export type RowSource = Pick<TaskContext, 'store' | 'size' | 'onlyPoNumber' | 'now' | 'trigger'>;

/**
 * The run's rows at `status` that are due (not backing off after a skip), oldest
 * dsco_create_time first, in chunks of at most `chunkSize` and at most `ctx.size` rows in all.
 * Picking only due rows is what keeps rows that are skipped run after run from holding back the
 * newer ones. A manual or CLI run is an operator saying "try now" (typically after fixing a
 * mapping), so it takes every row at the status, due or not; so does `ctx.onlyPoNumber`. Pages by
 * keyset, so rows a chunk moves to another status never shift the next page, and memory stays
 * flat however large `size` is.
 */
export async function* rowChunksAtStatus(
  ctx: RowSource,
  status: OrderStatus,
  chunkSize = ROW_CHUNK_SIZE,
  { exclude, onMore }: RowChunkOptions = {},
): AsyncGenerator<OrderRow[], void, undefined> {
  const leftOut = exclude && exclude.size > 0 ? [...exclude] : undefined;
  if (ctx.onlyPoNumber !== undefined) {
    const rows = await ctx.store.orders.listByStatus(status, { limit: 1, poNumber: ctx.onlyPoNumber });
    if (rows.length > 0 && !exclude?.has(ctx.onlyPoNumber)) yield rows;
    return;
  }
  let left = ctx.size;
  let after: string | undefined;
  const now = dueInstant(ctx);
  while (left > 0) {
    const page = await ctx.store.orders.listDue(status, {
      now,
      limit: Math.min(chunkSize, left),
      ...(after !== undefined && { after }),
      ...(leftOut && { exclude: leftOut }),
    });
    if (page.items.length === 0) return;
    left -= page.items.length;
    yield page.items;
    if (page.nextCursor === null) return;
    after = page.nextCursor;
  }
  onMore?.();
}

/**
 * The instant a run picks due rows at: one for the whole run, so a row recorded during the run
 * is not picked again by it. An operator's run treats every row as due (the far future is past
 * every backoff).
 */
export function dueInstant(ctx: Pick<RowSource, 'now' | 'trigger'>): Date {
  return ctx.trigger === 'schedule' ? ctx.now() : EVERY_ROW_DUE;
}

/**
 * Parses each row's stored payload and applies multi_ban; the rows that cannot go on are
 * reported `skipped` here, so callers only see orders they may act on.
 */
export function toCandidates(ctx: Pick<TaskContext, 'orderDone'>, rows: readonly OrderRow[], multiBan: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const row of rows) {
    const parsed = parseDscoOrder(row.payload);
    if (!parsed.ok) ctx.orderDone(row.po_number, 'skipped', parsed.reason);
    else if (multiBan && isMultiItem(parsed.order)) ctx.orderDone(row.po_number, 'skipped', 'multi_ban');
    else out.push({ row, order: parsed.order });
  }
  return out;
}
