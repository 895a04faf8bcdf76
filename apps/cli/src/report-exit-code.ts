import type { Report } from '@dlsync/runner';
import { EXIT } from './cli-error.js';

/** 0 only for a clean run: partial (orders failed), failed and locked all exit 1. */
export function exitCodeOf(report: Report): number {
  return report.status === 'ok' ? EXIT.ok : EXIT.failed;
}
