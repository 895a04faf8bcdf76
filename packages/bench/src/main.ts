/**
 * `npm run bench -- --orders N [--latency-ms L] [--workers W] [--run-size S] [--only lifecycle,ingest,rss]`
 * Prints figures and ratios and writes them as JSON under bench/results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startInfra } from '@dlsync/infra';
import { REPO_ROOT } from './child.js';
import { measurePull, type PullMeasurement } from './ingest.js';
import { measureLifecycle, type LifecycleResult } from './lifecycle.js';
import { formatLifecycle, formatPull, formatRss } from './format.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    'latency-ms': { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    'run-size': { type: 'string', default: '1000' },
    'ingest-orders': { type: 'string', default: '20000' },
    'rss-small': { type: 'string', default: '10000' },
    'rss-large': { type: 'string', default: '100000' },
    only: { type: 'string', default: 'lifecycle,ingest,rss' },
    'timeout-s': { type: 'string', default: '900' },
  },
});

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer (got ${raw})\n`);
    process.exit(2);
  }
  return n;
}

const HEAP_CAP_MB = 128;
const only = new Set((values.only ?? '').split(',').map((s) => s.trim()));
const infra = await startInfra({ log: (m) => process.stderr.write(`[infra] ${m}\n`) });
type RssResult = { small: PullMeasurement; large: PullMeasurement; growth: number };
const results: { lifecycle?: LifecycleResult; ingest?: PullMeasurement; rss?: RssResult; rssHeapCapped?: RssResult } = {};

/** Pulls a small and a large window in fresh processes and compares their peak RSS. */
async function measureRss(nodeArgs: string[]): Promise<RssResult> {
  const small = await measurePull(infra, positiveInt('rss-small', values['rss-small']), nodeArgs);
  const large = await measurePull(infra, positiveInt('rss-large', values['rss-large']), nodeArgs);
  return { small, large, growth: large.maxRssKb / small.maxRssKb - 1 };
}
try {
  if (only.has('lifecycle')) {
    results.lifecycle = await measureLifecycle(infra, {
      orders: positiveInt('orders', values.orders),
      latencyMs: Number(values['latency-ms']),
      workers: positiveInt('workers', values.workers),
      runSize: positiveInt('run-size', values['run-size']),
      timeoutMs: positiveInt('timeout-s', values['timeout-s']) * 1000,
    });
    process.stdout.write(formatLifecycle(results.lifecycle));
  }
  if (only.has('ingest')) {
    results.ingest = await measurePull(infra, positiveInt('ingest-orders', values['ingest-orders']));
    process.stdout.write(formatPull('pull ingest (zero latency)', results.ingest));
  }
  if (only.has('rss')) {
    // V8's defaults let the heap grow lazily with the garbage a long run makes; the capped run
    // (the heap limit the Dockerfile sets) shows what the puller really has to keep.
    results.rss = await measureRss([]);
    process.stdout.write(formatRss('V8 default heap', results.rss));
    results.rssHeapCapped = await measureRss([`--max-old-space-size=${HEAP_CAP_MB}`]);
    process.stdout.write(formatRss(`--max-old-space-size=${HEAP_CAP_MB}`, results.rssHeapCapped));
  }
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ at: new Date().toISOString(), args: values, results }, null, 2)}\n`);
  process.stdout.write(`\nwritten ${path.relative(REPO_ROOT, file)}\n`);
} finally {
  await infra.stop();
}
