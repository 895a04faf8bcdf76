import { apiMaxima, benchLimits } from './bench-limits.js';
import { BENCH_FULFILMENT } from './bench-sandbox.js';
import { chainedBound, changeLogEdges, criticalPath, lowerBound, minimalCallCounts, ratioToLargest, type CallCounts, type CriticalPath, type LowerBound } from './lower-bound.js';
import type { RunSpans, TimelineSample } from './timeline-svg.js';

/** CPU and peak RSS of one dlsync process over the measurement (missing when it was killed). */
export interface ProcessFigures {
  role: 'worker' | 'scheduler';
  index: number;
  cpuSeconds?: number;
  maxRssKb?: number;
}

export interface CpuFigures {
  processes: ProcessFigures[];
  /** The bench's own process: the driver (standing in for cron) and the whole sandbox. Not dlsync. */
  benchParentSeconds: number;
}

export interface LifecycleMeasurement {
  orders: number;
  latencyMs: number;
  applyDelayMs: number;
  workers: number;
  /** Old-space cap of every dlsync process, MiB; 0 = V8's default. */
  heapMb: number;
  elapsedSeconds: number;
  completed: number;
  calls: CallCounts;
  errors: CallCounts;
  runs: Record<string, number>;
  /** Seconds each task spent running, summed over its runs. */
  runSeconds: Record<string, number>;
  /** Each run of each task, [start, end] in seconds since the measurement started (for the picture). */
  runSpans: RunSpans;
  cpu: CpuFigures;
  samples: TimelineSample[];
}

export interface LifecycleResult extends LifecycleMeasurement {
  callsPerOrder: Record<string, number>;
  /** Calls of DSCO's change logs (how verified writes settle). */
  changeLogCalls: number;
  bound: LowerBound;
  minimalCalls: CallCounts;
  minimalBound: LowerBound;
  criticalPath: CriticalPath;
  /** The two throughput bounds with the chain before and after each change log added. */
  chained: { bound: LowerBound; minimalBound: LowerBound };
  /** elapsed / the largest of the bounds. */
  ratio: number;
  /** CPU seconds of every dlsync process (workers, scheduler) per 1,000 orders; null if one was killed. */
  cpuSecondsPer1000: number | null;
}

const CHANGE_LOGS = ['dsco /order/log', 'dsco /invoice/log', 'dsco /inventory/log'];

/** The figures and bounds of a measured run (pure). */
export function summarise(m: LifecycleMeasurement): LifecycleResult {
  const limits = benchLimits(m.latencyMs);
  const bound = lowerBound(m.calls, limits);
  const minimalCalls = minimalCallCounts(m.orders, apiMaxima());
  const minimalBound = lowerBound(minimalCalls, limits);
  const chain = {
    latencyMs: m.latencyMs,
    applyDelayMs: m.applyDelayMs,
    // The sandbox applies acknowledgements at once; only shipments and invoices wait.
    ackApplyDelayMs: 0,
    toShipAfterMs: BENCH_FULFILMENT.toShipAfterSeconds * 1000,
    shipAfterMs: BENCH_FULFILMENT.shipAfterSeconds * 1000,
  };
  const path = criticalPath(chain);
  const edges = changeLogEdges(chain);
  const chained = { bound: chainedBound(bound, edges), minimalBound: chainedBound(minimalBound, edges) };
  const cpuKnown = m.cpu.processes.every((p) => p.cpuSeconds !== undefined);
  const cpuTotal = m.cpu.processes.reduce((s, p) => s + (p.cpuSeconds ?? 0), 0);
  return {
    ...m,
    callsPerOrder: Object.fromEntries(Object.entries(m.calls).map(([k, v]) => [k, v / m.orders])),
    changeLogCalls: CHANGE_LOGS.reduce((s, k) => s + (m.calls[k] ?? 0), 0),
    bound,
    minimalCalls,
    minimalBound,
    criticalPath: path,
    chained,
    ratio: ratioToLargest(m.elapsedSeconds, [bound.seconds, minimalBound.seconds, path.seconds, chained.bound.seconds, chained.minimalBound.seconds]),
    cpuSecondsPer1000: cpuKnown ? (cpuTotal / m.orders) * 1000 : null,
  };
}
