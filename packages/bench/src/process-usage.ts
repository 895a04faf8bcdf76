import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Prefix of the line a child prints with its {@link ProcessUsage}. */
export const USAGE_MARK = 'BENCH_USAGE ';

/** What one process had used when it printed the line. */
export interface ProcessUsage {
  pid: number;
  entry: string;
  /** `mark`: on the bench's SIGUSR2 when the measurement starts; `exit`: at exit. */
  phase: 'mark' | 'exit';
  /** User + system CPU time since the process started. */
  cpuSeconds: number;
  /** Peak resident set size since the process started. */
  maxRssKb: number;
}

/** One process's figures over the measurement. */
export interface MeasuredUsage {
  pid: number;
  entry: string;
  /** CPU between the mark and the exit (start-up compiling left out); the whole life without a mark. */
  cpuSeconds: number;
  maxRssKb: number;
}

/** Parses a usage line, or undefined for any other line. */
export function parseUsageLine(line: string): ProcessUsage | undefined {
  if (!line.startsWith(USAGE_MARK)) return undefined;
  try {
    const u = JSON.parse(line.slice(USAGE_MARK.length)) as Partial<ProcessUsage>;
    const valid = typeof u.cpuSeconds === 'number' && typeof u.maxRssKb === 'number' && typeof u.pid === 'number' && (u.phase === 'mark' || u.phase === 'exit');
    return valid ? (u as ProcessUsage) : undefined;
  } catch {
    return undefined;
  }
}

/** The measurement from a process's lines: CPU from its first mark to its exit; undefined without an exit line. */
export function measuredUsage(lines: readonly ProcessUsage[]): MeasuredUsage | undefined {
  const exit = lines.find((u) => u.phase === 'exit');
  if (!exit) return undefined;
  const mark = lines.find((u) => u.phase === 'mark');
  return { pid: exit.pid, entry: exit.entry, cpuSeconds: exit.cpuSeconds - (mark?.cpuSeconds ?? 0), maxRssKb: exit.maxRssKb };
}

/**
 * Reads a child's stdout (so a chatty child never blocks on a full pipe) and resolves, once it
 * closed, with what it used over the measurement; undefined when it died without saying (SIGKILL).
 */
export function collectUsage(child: ChildProcess): Promise<MeasuredUsage | undefined> {
  const lines: ProcessUsage[] = [];
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const u = parseUsageLine(line);
      if (u) lines.push(u);
    });
  }
  return new Promise((resolve) => {
    child.once('close', () => resolve(measuredUsage(lines)));
  });
}
