import { singlePoOutcomeOf, type Report } from '@dlsync/runner';
import { formatPairs, formatTable } from './table.js';

export interface FormatReportOptions {
  /** Most per-order rows printed. (Default: 50) */
  maxItems?: number;
}

function detailValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

/** `po  X: skipped, not found locally (hint: ...)` for a single-PO run. */
function singlePoLine(report: Report): [string, string][] {
  const o = singlePoOutcomeOf(report);
  if (!o) return [];
  return [['po', `${o.po_number}: ${o.processed ? 'processed' : `NOT processed (${o.result})`}, ${o.reason}${o.hint ? ` (hint: ${o.hint})` : ''}`]];
}

/** A run's Report as text: summary, counts, reasons, per-order items and task details. */
export function formatReport(report: Report, options: FormatReportOptions = {}): string {
  const maxItems = options.maxItems ?? 50;
  const parts: string[] = [];
  parts.push(
    formatPairs([
      ['task', report.task],
      ['run', report.runId],
      ['status', report.status],
      ['trigger', report.trigger],
      ['config', report.configVersion === undefined ? '-' : `v${report.configVersion}`],
      ['started', report.startedAt],
      ['duration', `${report.durationMs} ms`],
      ...(report.error ? ([['error', report.error]] as const) : []),
      ...singlePoLine(report),
    ]),
  );
  parts.push(formatTable(['OK', 'SKIPPED', 'FAILED', 'WAITING'], [[report.counts.ok, report.counts.skipped, report.counts.failed, report.counts.waiting ?? 0]]));
  const reasons = Object.entries(report.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) parts.push(formatTable(['REASON', 'ORDERS'], reasons));
  if (report.items.length) {
    const shown = report.items.slice(0, maxItems);
    const hidden = report.items.length - shown.length + report.itemsOmitted;
    parts.push(
      formatTable(
        ['PO', 'RESULT', 'REASON'],
        shown.map((i) => [i.po_number ?? '-', i.result, i.reason ?? '']),
      ) + (hidden > 0 ? `\n(${hidden} more orders not shown)` : ''),
    );
  }
  const details = Object.entries(report.details);
  if (details.length) parts.push(formatTable(['DETAIL', 'VALUE'], details.map(([k, v]) => [k, detailValue(v)])));
  return parts.join('\n\n');
}
