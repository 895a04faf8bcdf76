import type { PreflightReport, PreflightStatus } from './check.js';

const MARK: Record<PreflightStatus, string> = { ok: 'ok  ', fail: 'FAIL', skipped: 'skip' };

/** The preflight as text: one line per check, then its problems and the fix, then a verdict. */
export function formatPreflight(report: PreflightReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.title}: ${check.detail}`);
    for (const problem of check.problems) lines.push(`        problem: ${problem}`);
    if (check.fix) lines.push(`        fix: ${check.fix}`);
  }
  const failedCount = report.checks.filter((c) => c.status === 'fail').length;
  const skippedCount = report.checks.filter((c) => c.status === 'skipped').length;
  lines.push(
    report.ok
      ? `preflight passed (${report.checks.length - skippedCount} checks ok${skippedCount ? `, ${skippedCount} skipped` : ''})`
      : `preflight failed: ${failedCount} of ${report.checks.length} checks failed`,
  );
  return lines.join('\n');
}
