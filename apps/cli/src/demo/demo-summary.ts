import { TASK_NAMES, type TaskName } from '@dlsync/config';
import type { TaskQueues } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import type { CallCount } from '@dlsync/services';
import { describeStatus, ORDER_STATUSES, type OrderStatus } from '@dlsync/store';
import { formatTable } from '../format/table.js';
import { formatStockLine, sumStockLines, type StockTotals } from './stock-line.js';

export interface RunStats {
  /** Completed and failed jobs per task. */
  jobs: Record<TaskName, { completed: number; failed: number }>;
  /** Per task and reason: occurrences over all runs, and the distinct POs seen in the runs' items. */
  reasons: { task: TaskName; reason: string; occurrences: number; orders: number }[];
  /** sync_stock's reconciliation over its completed runs. */
  stock: StockTotals;
}

/** Reads the Reports that finished jobs keep as their return values. */
export async function collectRunStats(queues: TaskQueues): Promise<RunStats> {
  const jobs = {} as RunStats['jobs'];
  const reasons = new Map<string, { task: TaskName; reason: string; occurrences: number; pos: Set<string> }>();
  const stockReports: Report[] = [];
  for (const task of TASK_NAMES) {
    const queue = queues[task];
    const [completed, failed] = await Promise.all([queue.getJobs(['completed']), queue.getJobCountByTypes('failed')]);
    jobs[task] = { completed: completed.length, failed };
    for (const job of completed) {
      const report = job.returnvalue as Report | null;
      if (!report) continue;
      if (task === 'sync_stock') stockReports.push(report);
      for (const [reason, n] of Object.entries(report.reasons ?? {})) {
        const key = `${task}\u0000${reason}`;
        const entry = reasons.get(key) ?? { task, reason, occurrences: 0, pos: new Set<string>() };
        entry.occurrences += n;
        for (const item of report.items ?? []) if (item.reason === reason && item.po_number) entry.pos.add(item.po_number);
        reasons.set(key, entry);
      }
    }
  }
  return {
    jobs,
    stock: sumStockLines(stockReports),
    reasons: [...reasons.values()]
      .map(({ pos, ...r }) => ({ ...r, orders: pos.size }))
      .sort((a, b) => b.orders - a.orders || b.occurrences - a.occurrences),
  };
}

export interface DemoSummaryInput {
  byStatus: Record<OrderStatus, number>;
  excluded: Map<string, string[]>;
  eligible: number;
  eligibleDone: number;
  runs: RunStats;
  calls: CallCount[];
  wallMs: number;
  simulatedMs: number;
  /** What the sandbox recorded as breaking the published DSCO/Lingxing contracts (one line each). */
  violations: string[];
}

const duration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${(ms / 1000).toFixed(1)}s`;
};

export function formatDemoSummary(s: DemoSummaryInput): string {
  const sections: [string, string][] = [
    ['Orders by status', formatTable(['STATUS', 'ORDERS'], ORDER_STATUSES.map((st) => [describeStatus(st), s.byStatus[st] ?? 0]))],
    [
      `Eligible orders done: ${s.eligibleDone}/${s.eligible}. Excluded (cannot complete)`,
      formatTable(['REASON', 'ORDERS', 'EXAMPLES'], [...s.excluded].map(([reason, pos]) => [reason, pos.length, pos.slice(0, 3).join(' ')])),
    ],
    [
      'Skips and failures by reason (from the runs’ Reports)',
      s.runs.reasons.length
        ? formatTable(['TASK', 'REASON', 'ORDERS', 'OCCURRENCES'], s.runs.reasons.map((r) => [r.task, r.reason, r.orders, r.occurrences]))
        : '(none)',
    ],
    ['Jobs per task', formatTable(['TASK', 'COMPLETED', 'FAILED'], TASK_NAMES.map((t) => [t, s.runs.jobs[t].completed, s.runs.jobs[t].failed]))],
    ['Remote calls', formatTable(['SERVICE', 'ENDPOINT', 'OK', 'ERROR'], s.calls.map((c) => [c.service, c.endpoint, c.ok, c.error]))],
  ];
  return [
    ...sections.map(([title, body]) => `${title}\n${body}`),
    formatStockLine(s.runs.stock),
    s.violations.length === 0
      ? 'Contract violations recorded by the sandbox: 0'
      : `Contract violations recorded by the sandbox: ${s.violations.length}\n${s.violations.slice(0, 10).join('\n')}`,
    `Elapsed: ${duration(s.wallMs)} wall, ${duration(s.simulatedMs)} simulated`,
  ].join('\n\n');
}
