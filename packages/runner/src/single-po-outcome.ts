import type { TaskName } from '@dlsync/config';
import { describeStatus, statusOfTask, TASK_OF_STATUS, type Store } from '@dlsync/store';
import type { OrderResult, Report } from './report.js';

/** What a single-PO run did with its PO, in `report.details.single_po`. */
export interface SinglePoOutcome {
  po_number: string;
  result: OrderResult;
  /** True only when the task handled the PO (result ok). */
  processed: boolean;
  reason: string;
  /** e.g. the upper-case PO that does exist locally. */
  hint?: string;
}

/** Tasks that are not per order: they ignore a PO and say so in their details. */
const NOT_PER_ORDER: readonly TaskName[] = ['sync_stock', 'pull_sku_pair'];

/** Why a PO the task recorded nothing for was not processed, from its local row (exact match). */
async function explainMissing(task: TaskName, po: string, store: Store): Promise<Pick<SinglePoOutcome, 'reason' | 'hint'>> {
  const row = await store.orders.getByPo(po);
  if (!row) {
    // PO numbers are matched exactly; a case slip is the commonest reason for "not found".
    const upper = po.toUpperCase();
    const near = upper !== po ? await store.orders.getByPo(upper) : undefined;
    return { reason: 'not found locally', ...(near ? { hint: `${upper} exists (PO numbers are matched exactly)` } : {}) };
  }
  const handles = statusOfTask(task);
  if (handles !== undefined && row.status !== handles) {
    const owner = TASK_OF_STATUS[row.status];
    return {
      reason:
        `at status ${describeStatus(row.status)}; ${task} handles status ${describeStatus(handles)}` +
        (owner ? `; the task for it is ${owner}` : '; no task moves it further'),
    };
  }
  return { reason: `at status ${describeStatus(row.status)} but the run recorded no outcome for it (not due yet?)` };
}

/**
 * Makes a single-PO run say what it did with that PO: the task's own item when it recorded
 * one, otherwise a `skipped` item with the reason found in the local row, so "ok 0/0/0" never
 * hides a PO that was not processed. Lookup failures leave the Report as it was, with the
 * lookup error in the details (the run itself already happened).
 */
export async function withSinglePoOutcome(report: Report, po: string | undefined, store: Store): Promise<Report> {
  if (po === undefined || report.status === 'failed' || report.status === 'locked' || NOT_PER_ORDER.includes(report.task)) return report;
  const own = report.items.find((i) => i.po_number === po);
  if (own) {
    const outcome: SinglePoOutcome = { po_number: po, result: own.result, processed: own.result === 'ok', reason: own.reason ?? 'processed' };
    return { ...report, details: { ...report.details, single_po: outcome } };
  }
  let explained: Pick<SinglePoOutcome, 'reason' | 'hint'>;
  try {
    explained = await explainMissing(report.task, po, store);
  } catch (err) {
    return { ...report, details: { ...report.details, single_po_error: (err as Error).message } };
  }
  const outcome: SinglePoOutcome = { po_number: po, result: 'skipped', processed: false, ...explained };
  return {
    ...report,
    counts: { ...report.counts, skipped: report.counts.skipped + 1 },
    reasons: { ...report.reasons, [explained.reason]: (report.reasons[explained.reason] ?? 0) + 1 },
    items: [{ po_number: po, result: 'skipped', reason: explained.reason, ...(explained.hint ? { hint: explained.hint } : {}) }, ...report.items],
    details: { ...report.details, single_po: outcome },
  };
}

/** The single-PO outcome of a Report, when it has one. */
export function singlePoOutcomeOf(report: Report): SinglePoOutcome | undefined {
  const value = report.details.single_po;
  return value && typeof value === 'object' ? (value as SinglePoOutcome) : undefined;
}
