import { freePort } from './free-port.js';
import { logLine, startApp, type AppLine, type AppProcess } from './app-process.js';
import { fleetEnv, type FleetEnvInput } from './fleet-env.js';

export interface FleetOptions {
  /** Settings every process gets (admin host/port are filled in here). */
  env: Omit<FleetEnvInput, 'admin'>;
  /** Worker processes. (Default: 2) */
  workers?: number;
  /** Start the admin app too. (Default: true) */
  admin?: boolean;
  /** The scheduler's runtime_config poll interval. (Default: 1000) */
  schedulerPollMs?: number;
  /** How long each process may take to report ready. (Default: 60000) */
  startTimeoutMs?: number;
  onLine?: (line: AppLine, app: AppProcess) => void;
}

export interface Fleet {
  scheduler: AppProcess;
  workers: AppProcess[];
  admin?: AppProcess;
  /** e.g. `http://127.0.0.1:41234` when the admin app runs. */
  adminUrl?: string;
  all(): AppProcess[];
  /** SIGTERM to workers and scheduler (workers finish or hand back their jobs), then the admin; SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

async function waitForHealthy(url: string, app: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = app.lines.slice(-5).map((l) => `\n  ${l.text}`).join('');
  throw new Error(`${app.name} did not answer ${url} ${exited ? 'before exiting' : `within ${timeoutMs} ms`}${tail}`);
}

/**
 * Starts scheduler, workers and (optionally) admin as child processes sharing one
 * configuration, and waits until each one reports ready. On failure everything started is stopped.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const timeout = options.startTimeoutMs ?? 60_000;
  const adminPort = options.admin === false ? undefined : await freePort();
  const env = fleetEnv({ ...options.env, ...(adminPort ? { admin: { host: '127.0.0.1', port: adminPort } } : {}) });
  const start = (app: 'scheduler' | 'worker' | 'admin', name: string, args: string[] = []): AppProcess =>
    startApp(app, { name, args, env, ...(options.onLine ? { onLine: options.onLine } : {}) });

  const scheduler = start('scheduler', 'scheduler', ['--poll-ms', String(options.schedulerPollMs ?? 1_000)]);
  const workers = Array.from({ length: options.workers ?? 2 }, (_, i) => start('worker', `worker-${i + 1}`));
  const admin = adminPort ? start('admin', 'admin') : undefined;
  const adminUrl = adminPort ? `http://127.0.0.1:${adminPort}` : undefined;
  const all = (): AppProcess[] => [scheduler, ...workers, ...(admin ? [admin] : [])];
  const stop = async (graceMs = 20_000): Promise<void> => {
    // Workers and scheduler first (they write); the admin, which only reads, last.
    await Promise.all([scheduler, ...workers].map((p) => p.stop('SIGTERM', graceMs)));
    await admin?.stop('SIGTERM', graceMs);
  };
  try {
    await Promise.all([
      scheduler.waitForLine(logLine('scheduler started'), timeout),
      ...workers.map((w) => w.waitForLine(logLine('worker started'), timeout)),
      ...(admin && adminUrl ? [waitForHealthy(`${adminUrl}/healthz`, admin, timeout)] : []),
    ]);
  } catch (err) {
    await stop(5_000);
    throw err;
  }
  return { scheduler, workers, ...(admin ? { admin, adminUrl } : {}), all, stop };
}
