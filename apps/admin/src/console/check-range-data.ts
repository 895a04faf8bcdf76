import { queryOrders, type OrderStatus } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import type { RunOutcome } from './console-actions.js';

interface Mismatch {
  po_number: string;
  kind: string;
  local_status: number | null;
  expected: string;
  actual: string;
}

/** One order of the checked window: ok, or mismatched with what differed. */
export interface CheckedOrder {
  po_number: string;
  status: OrderStatus;
  verdict: 'ok' | 'mismatched';
  mismatches: Mismatch[];
}

export interface CheckRangeResult extends RunOutcome {
  start: string;
  end: string;
  /** Local orders created in the window (up to LISTED), each marked ok or mismatched. */
  orders: CheckedOrder[];
  /** More local orders than listed. */
  ordersMore: boolean;
  /** DSCO orders of the window with no local row. */
  missingLocal: Mismatch[];
  /** Mismatches of POs with a local row outside the listed ones, or other kinds without a row. */
  otherMismatches: Mismatch[];
}

const LISTED = 500;

function mismatchesOf(outcome: RunOutcome): Mismatch[] {
  const list = outcome.report?.details['mismatch_list'];
  return Array.isArray(list) ? (list as Mismatch[]) : [];
}

/** Joins check_orders' mismatch list with the local orders of [start, end). */
export async function describeCheckRange(ctx: AdminContext, outcome: RunOutcome, start: number, end: number): Promise<CheckRangeResult> {
  const mismatches = mismatchesOf(outcome);
  const page = await queryOrders(ctx.store.db, { createdFrom: Math.ceil(start / 1000), createdTo: Math.ceil(end / 1000) }, { limit: LISTED });
  const byPo = new Map<string, Mismatch[]>();
  for (const m of mismatches) byPo.set(m.po_number, [...(byPo.get(m.po_number) ?? []), m]);
  const listed = new Set(page.items.map((o) => o.po_number));
  const finished = outcome.report !== null;
  return {
    ...outcome,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    orders: finished
      ? page.items.map((o) => {
          const found = byPo.get(o.po_number) ?? [];
          return { po_number: o.po_number, status: o.status, verdict: found.length ? 'mismatched' : 'ok', mismatches: found };
        })
      : [],
    ordersMore: page.nextCursor !== null,
    missingLocal: mismatches.filter((m) => m.kind === 'missing_local_record'),
    otherMismatches: mismatches.filter((m) => m.kind !== 'missing_local_record' && !listed.has(m.po_number)),
  };
}
