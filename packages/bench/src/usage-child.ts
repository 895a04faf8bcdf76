/**
 * Runs a repo entry (env BENCH_ENTRY, e.g. `apps/worker/src/main.ts`) unchanged in this process
 * and prints one line `<USAGE_MARK>{json}` with the CPU time it used so far (`process.cpuUsage()`)
 * and its peak RSS on SIGUSR2 (phase `mark`: the measurement starts, after the start-up's
 * compiling) and when it exits (phase `exit`), so the bench can sum CPU over every dlsync process.
 */
import { writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { USAGE_MARK, type ProcessUsage } from './process-usage.js';

const entry = process.env.BENCH_ENTRY;
if (!entry) {
  process.stderr.write('usage-child: BENCH_ENTRY (the entry file to run) is not set\n');
  process.exit(2);
}
function report(phase: ProcessUsage['phase']): void {
  const cpu = process.cpuUsage();
  const usage: ProcessUsage = { pid: process.pid, entry: entry!, phase, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS };
  // Synchronous: an exit handler cannot wait for a stream to drain.
  writeSync(1, `${USAGE_MARK}${JSON.stringify(usage)}\n`);
}
process.on('SIGUSR2', () => report('mark'));
process.on('exit', () => report('exit'));
await import(pathToFileURL(path.resolve(entry)).href);
