import { describeHeap } from './image-heap.js';
import type { PullMeasurement } from './ingest.js';
import type { LifecycleResult } from './lifecycle.js';
import { bucketOneCalls, type PeerMeasurement } from './peer.js';

const num = (n: number, digits = 2): string => n.toFixed(digits);

export function formatLifecycle(r: LifecycleResult): string {
  const lines = [
    `lifecycle: ${r.orders} orders, latency ${r.latencyMs} ms, apply delay ${r.applyDelayMs} ms, ${r.workers} workers, ${describeHeap(r.heapMb)}`,
    `completed: ${r.completed}/${r.orders} at status 5`,
    `elapsed: ${num(r.elapsedSeconds)} s`,
    '',
    'calls per endpoint                                        calls  per order  minimal',
  ];
  const keys = [...new Set([...Object.keys(r.calls), ...Object.keys(r.minimalCalls)])].sort();
  for (const k of keys) {
    lines.push(
      `${k.padEnd(56)} ${String(r.calls[k] ?? 0).padStart(6)}  ${num(r.callsPerOrder[k] ?? 0, 4).padStart(9)}  ${String(r.minimalCalls[k] ?? '-').padStart(7)}${r.errors[k] ? `  (${r.errors[k]} errors)` : ''}`,
    );
  }
  lines.push(
    `change-log calls: ${r.changeLogCalls}`,
    '',
    `runs: ${Object.entries(r.runs).map(([t, n]) => `${t} ${n} (${num(r.runSeconds[t] ?? 0, 1)} s)`).join(', ')}`,
    `lower bound (these calls): ${num(r.bound.seconds)} s, bottleneck ${r.bound.bottleneck}`,
    ...r.bound.resources.slice(0, 4).map((x) => `  ${x.resource}: ${x.calls} calls → ${num(x.seconds)} s`),
    `lower bound (fewest calls the limits allow for ${r.orders} orders): ${num(r.minimalBound.seconds)} s, bottleneck ${r.minimalBound.bottleneck}`,
    `critical-path bound (one order through the chain): ${num(r.criticalPath.seconds)} s`,
    ...r.criticalPath.steps.map((s) => `  ${s.step}: ${s.ms} ms`),
    `chained bound (the bottleneck plus the chain before its first call and after its last): these calls ${num(r.chained.bound.seconds)} s, fewest calls ${num(r.chained.minimalBound.seconds)} s (${r.chained.bound.bottleneck})`,
    `ratio: ${num(r.ratio)}`,
    `elapsed / fewest-calls bound: ${num(r.elapsedSeconds / r.minimalBound.seconds)}`,
    '',
    ...formatCpu(r),
    '',
  );
  return lines.join('\n');
}

function formatCpu(r: LifecycleResult): string[] {
  const perProcess = r.cpu.processes.map((p) =>
    p.cpuSeconds === undefined
      ? `  ${p.role} ${p.index}: killed before it reported`
      : `  ${p.role} ${p.index}: ${num(p.cpuSeconds)} CPU s, peak RSS ${num((p.maxRssKb ?? 0) / 1024, 1)} MiB`,
  );
  return [
    `CPU per 1,000 orders (every dlsync process, start-up left out): ${r.cpuSecondsPer1000 === null ? 'unknown (a process was killed)' : `${num(r.cpuSecondsPer1000, 3)} s`}`,
    ...perProcess,
    `  (bench process — driver and sandbox, not dlsync: ${num(r.cpu.benchParentSeconds)} CPU s)`,
  ];
}

export function formatPull(title: string, m: PullMeasurement): string {
  return `${title}: ${m.orders} orders in ${num(m.ms / 1000)} s → ${num(m.ordersPerSecond, 0)} orders/s, peak RSS ${num(m.maxRssKb / 1024, 1)} MiB\n`;
}

export function formatRss(label: string, r: { small: PullMeasurement; large: PullMeasurement; growth: number }): string {
  return [
    formatPull(`pull (RSS, ${label})`, r.small).trimEnd(),
    formatPull(`pull (RSS, ${label})`, r.large).trimEnd(),
    `RSS growth ${r.small.orders} → ${r.large.orders} orders (${label}): ${num(r.growth * 100, 1)} %`,
    '',
  ].join('\n');
}

/** The per-order design next to ours at the same N. */
export function formatPeer(peer: PeerMeasurement, ours: LifecycleResult): string {
  const oursBucketOne = bucketOneCalls(ours.calls);
  const lines = [
    `peer pattern (original per-order lookups): ${peer.orders} orders`,
    `peer completed: ${peer.completed}/${peer.orders} invoiced${peer.problems.length ? ` (problems: ${peer.problems.slice(0, 3).join('; ')})` : ''}`,
    `peer elapsed: ${num(peer.elapsedSeconds)} s (ours at ${ours.orders}: ${num(ours.elapsedSeconds)} s)`,
    'peer calls per endpoint                                   calls  per order   ours/order',
    ...Object.keys({ ...peer.calls, ...ours.calls })
      .sort()
      .map((k) => `${k.padEnd(56)} ${String(peer.calls[k] ?? 0).padStart(6)}  ${num(peer.callsPerOrder[k] ?? 0, 4).padStart(9)}  ${num(ours.callsPerOrder[k] ?? 0, 4).padStart(11)}`),
    `peer calls per order: ${num(Object.values(peer.calls).reduce((a, b) => a + b, 0) / peer.orders, 3)} (ours ${num(Object.values(ours.calls).reduce((a, b) => a + b, 0) / ours.orders, 3)})`,
    `bucket-1 calls (Lingxing WMS list, inventory): peer ${peer.bucketOneCalls}, ours ${oursBucketOne} → ${oursBucketOne > 0 ? `${num(peer.bucketOneCalls / oursBucketOne, 1)}× fewer` : 'ours made none'}`,
    `peer lower bound (its calls): ${num(peer.bound.seconds)} s, bottleneck ${peer.bound.bottleneck}`,
    `peer CPU: ${num(peer.cpuSeconds)} s, peak RSS ${num(peer.maxRssKb / 1024, 1)} MiB`,
    `peer ratio: ${num(peer.elapsedSeconds / ours.elapsedSeconds)}`,
    '',
  ];
  return lines.join('\n');
}
