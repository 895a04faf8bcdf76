/**
 * `npm run bench -- --orders N [--latency-ms L] [--apply-delay-ms D] [--workers W] [--run-size S]
 * [--heap-mb M] [--only lifecycle,ingest,rss] [--peer-pattern [--peer-orders P]]`
 * Prints figures, bounds and ratios and writes them as JSON (and the lifecycle's picture as SVG)
 * under bench/results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startInfra } from '@dlsync/infra';
import { REPO_ROOT } from './child.js';
import { formatLifecycle, formatPeer, formatPull, formatRss } from './format.js';
import { describeHeap, heapCapArgs, IMAGE_HEAP_CAP_MB } from './image-heap.js';
import { measurePull, type PullMeasurement } from './ingest.js';
import { measureLifecycle, TIMELINE_STATUSES, type LifecycleOptions, type LifecycleResult } from './lifecycle.js';
import { measurePeer, type PeerMeasurement } from './peer.js';
import { renderTimelineSvg } from './timeline-svg.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    'latency-ms': { type: 'string', default: '50' },
    'apply-delay-ms': { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
    'run-size': { type: 'string', default: '1000' },
    'ingest-orders': { type: 'string', default: '20000' },
    'rss-small': { type: 'string', default: '10000' },
    'rss-large': { type: 'string', default: '100000' },
    only: { type: 'string', default: 'lifecycle,ingest,rss' },
    'peer-pattern': { type: 'boolean', default: false },
    'peer-orders': { type: 'string', default: '1000' },
    'peer-concurrency': { type: 'string', default: '8' },
    'timeout-s': { type: 'string', default: '900' },
    'heap-mb': { type: 'string', default: String(IMAGE_HEAP_CAP_MB) },
  },
});

function nonNegativeInt(name: string, raw: string | undefined, min = 0): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer ≥ ${min} (got ${raw})\n`);
    process.exit(2);
  }
  return n;
}
const positiveInt = (name: string, raw: string | undefined): number => nonNegativeInt(name, raw, 1);

const only = new Set((values.only ?? '').split(',').map((s) => s.trim()));
const lifecycleOptions = (orders: number): LifecycleOptions => ({
  orders,
  latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
  applyDelayMs: nonNegativeInt('apply-delay-ms', values['apply-delay-ms']),
  workers: positiveInt('workers', values.workers),
  runSize: positiveInt('run-size', values['run-size']),
  timeoutMs: positiveInt('timeout-s', values['timeout-s']) * 1000,
  heapMb: nonNegativeInt('heap-mb', values['heap-mb']),
});
const infra = await startInfra({ log: (m) => process.stderr.write(`[infra] ${m}\n`) });
type RssResult = { small: PullMeasurement; large: PullMeasurement; growth: number };
interface PeerComparison {
  peer: PeerMeasurement;
  ours: LifecycleResult;
  peerRatio: number;
}
const results: { lifecycle?: LifecycleResult; peer?: PeerComparison; ingest?: PullMeasurement; rss?: RssResult; rssHeapCapped?: RssResult } = {};

/** Pulls a small and a large window in fresh processes and compares their peak RSS. */
async function measureRss(nodeArgs: string[]): Promise<RssResult> {
  const small = await measurePull(infra, positiveInt('rss-small', values['rss-small']), nodeArgs);
  const large = await measurePull(infra, positiveInt('rss-large', values['rss-large']), nodeArgs);
  return { small, large, growth: large.maxRssKb / small.maxRssKb - 1 };
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dir = path.join(REPO_ROOT, 'bench', 'results');
try {
  await mkdir(dir, { recursive: true });
  if (only.has('lifecycle')) {
    results.lifecycle = await measureLifecycle(infra, lifecycleOptions(positiveInt('orders', values.orders)));
    process.stdout.write(formatLifecycle(results.lifecycle));
    const r = results.lifecycle;
    const svg = renderTimelineSvg(`dlsync lifecycle: ${r.orders} orders, ${r.latencyMs} ms latency, ${r.applyDelayMs} ms apply delay, ${r.workers} workers, ${describeHeap(r.heapMb)} — ${stamp}`, r.samples, TIMELINE_STATUSES, r.runSpans);
    await writeFile(path.join(dir, `${stamp}.svg`), svg);
  }
  if (values['peer-pattern']) {
    const orders = positiveInt('peer-orders', values['peer-orders']);
    // Ours at the same N: the run above if it was, else one more.
    const ours = results.lifecycle?.orders === orders ? results.lifecycle : await measureLifecycle(infra, lifecycleOptions(orders));
    const o = lifecycleOptions(orders);
    const peer = await measurePeer(infra, { ...o, concurrency: positiveInt('peer-concurrency', values['peer-concurrency']) });
    results.peer = { peer, ours, peerRatio: peer.elapsedSeconds / ours.elapsedSeconds };
    process.stdout.write(formatPeer(peer, ours));
  }
  if (only.has('ingest')) {
    results.ingest = await measurePull(infra, positiveInt('ingest-orders', values['ingest-orders']));
    process.stdout.write(formatPull('pull ingest (zero latency)', results.ingest));
  }
  if (only.has('rss')) {
    // V8's defaults let the heap grow lazily with the garbage a long run makes; the capped run
    // (the heap limit the image sets) shows what the puller really has to keep.
    results.rss = await measureRss([]);
    process.stdout.write(formatRss(describeHeap(0), results.rss));
    results.rssHeapCapped = await measureRss(heapCapArgs(IMAGE_HEAP_CAP_MB));
    process.stdout.write(formatRss(describeHeap(IMAGE_HEAP_CAP_MB), results.rssHeapCapped));
  }
  const file = path.join(dir, `${stamp}.json`);
  await writeFile(file, `${JSON.stringify({ at: new Date().toISOString(), args: values, results }, null, 2)}\n`);
  process.stdout.write(`\nwritten ${path.relative(REPO_ROOT, file)}${results.lifecycle ? ` and ${stamp}.svg` : ''}\n`);
} finally {
  await infra.stop();
}
