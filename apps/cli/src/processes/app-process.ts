import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appCommand, REPO_ROOT, type AppName } from './app-entry.js';

/** One output line of a child; JSON log lines are parsed into `json`. */
export interface AppLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json?: Record<string, unknown>;
}

export interface AppProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Every line so far. */
  lines: AppLine[];
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | NodeJS.Signals>;
  /** Resolves with the first line, past or future, matching `predicate`; rejects on timeout or exit. */
  waitForLine(predicate: (line: AppLine) => boolean, timeoutMs?: number): Promise<AppLine>;
  /** Sends `signal` (Default: SIGTERM) and waits for exit; SIGKILL after `graceMs` (Default: 15000). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | NodeJS.Signals>;
}

export interface StartAppOptions {
  /** Label in logs and errors. (Default: the app name) */
  name?: string;
  args?: readonly string[];
  /** The child's whole environment. (Default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** Told about every line, e.g. to echo children's logs with a prefix. */
  onLine?: (line: AppLine, app: AppProcess) => void;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a dlsync app as a child process and collects its output lines. */
export function startApp(app: AppName, options: StartAppOptions = {}): AppProcess {
  const { command, args } = appCommand(app, options.args);
  const child = spawn(command, args, { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: AppLine[] = [];
  const waiters = new Set<{ predicate: (l: AppLine) => boolean; resolve: (l: AppLine) => void }>();
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 1));
    child.once('error', () => resolve(1));
  });
  const proc: AppProcess = {
    name: options.name ?? app,
    pid: child.pid ?? -1,
    child,
    lines,
    exited,
    waitForLine(predicate, timeoutMs = 30_000) {
      const past = lines.find(predicate);
      if (past) return Promise.resolve(past);
      return new Promise<AppLine>((resolve, reject) => {
        const waiter = { predicate, resolve: (l: AppLine) => done(() => resolve(l)) };
        const timer = setTimeout(() => done(() => reject(new Error(`${proc.name}: no matching line within ${timeoutMs} ms${tail()}`))), timeoutMs);
        void exited.then((code) => done(() => reject(new Error(`${proc.name} exited (${code}) before a matching line${tail()}`))));
        let settled = false;
        function done(settle: () => void): void {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          waiters.delete(waiter);
          settle();
        }
        waiters.add(waiter);
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
  const tail = (): string => {
    const last = lines.slice(-5).map((l) => `\n  ${l.text}`);
    return last.length ? `; last lines:${last.join('')}` : '';
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream]! }).on('line', (text) => {
      const json = parseJson(text);
      const line: AppLine = { stream, text, ...(json ? { json } : {}) };
      lines.push(line);
      options.onLine?.(line, proc);
      for (const w of [...waiters]) if (w.predicate(line)) w.resolve(line);
    });
  }
  return proc;
}

/** A JSON log line whose `message` is `message` (and whose fields match `fields`). */
export function logLine(message: string, fields: Record<string, unknown> = {}): (line: AppLine) => boolean {
  return (line) => line.json?.message === message && Object.entries(fields).every(([k, v]) => line.json?.[k] === v);
}
