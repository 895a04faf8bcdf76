import type { PullMeasurement } from './ingest.js';
import type { LifecycleResult } from './lifecycle.js';

const num = (n: number, digits = 2): string => n.toFixed(digits);

export function formatLifecycle(r: LifecycleResult): string {
  const lines = [
    `lifecycle: ${r.orders} orders, latency ${r.latencyMs} ms, ${r.workers} workers`,
    `completed: ${r.completed}/${r.orders} at status 5`,
    `elapsed: ${num(r.elapsedSeconds)} s`,
    '',
    'calls per endpoint            calls  per order  minimal',
  ];
  const keys = [...new Set([...Object.keys(r.calls), ...Object.keys(r.minimalCalls)])].sort();
  for (const k of keys) {
    lines.push(
      `${k.padEnd(56)} ${String(r.calls[k] ?? 0).padStart(6)}  ${num(r.callsPerOrder[k] ?? 0, 4).padStart(9)}  ${String(r.minimalCalls[k] ?? '-').padStart(7)}${r.errors[k] ? `  (${r.errors[k]} errors)` : ''}`,
    );
  }
  lines.push(
    '',
    `runs: ${Object.entries(r.runs).map(([t, n]) => `${t} ${n} (${num(r.runSeconds[t] ?? 0, 1)} s)`).join(', ')}`,
    `lower bound (these calls): ${num(r.bound.seconds)} s, bottleneck ${r.bound.bottleneck}`,
    ...r.bound.resources.slice(0, 4).map((x) => `  ${x.resource}: ${x.calls} calls → ${num(x.seconds)} s`),
    `lower bound (minimal calls for ${r.orders} orders): ${num(r.minimalBound.seconds)} s, bottleneck ${r.minimalBound.bottleneck}`,
    `ratio: ${num(r.ratio)}`,
    `ratio to minimal-call bound: ${num(r.elapsedSeconds / r.minimalBound.seconds)}`,
    '',
  );
  return lines.join('\n');
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
