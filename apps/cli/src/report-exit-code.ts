import { singlePoOutcomeOf, type Report } from '@dlsync/runner';
import { EXIT } from './cli-error.js';

/**
 * 0 only for a clean run: partial (orders failed), failed and locked all exit 1, and so does
 * a single-PO run that did not process its PO (not found, wrong status, skipped).
 */
export function exitCodeOf(report: Report): number {
  if (report.status !== 'ok') return EXIT.failed;
  const single = singlePoOutcomeOf(report);
  return single && !single.processed ? EXIT.failed : EXIT.ok;
}
