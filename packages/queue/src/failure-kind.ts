import type { Report } from '@dlsync/runner';

/**
 * Why a failed run will fail again unchanged, or undefined when a retry may help (outage,
 * timeout, lost lock). Usage failures: invalid runtime_config, conflicting mappings, input the
 * task refuses. The Report carries these as the runner and tasks write them: the runner's
 * `invalid runtime_config:` error prefix, sync_stock's `mapping_conflicts` detail,
 * pull_sku_pair's `result: conflict` detail, MappingConflictError's "is not one-to-one".
 */
export function usageFailureOf(report: Report): string | undefined {
  if (report.status !== 'failed') return undefined;
  const error = report.error ?? '';
  if (error.startsWith('invalid runtime_config')) return 'bad configuration';
  if (report.details.mapping_conflicts !== undefined || report.details.result === 'conflict' || /is not one-to-one/.test(error)) {
    return 'conflicting mappings';
  }
  if (/\bneeds a window\b/.test(error)) return 'bad job input';
  return undefined;
}
