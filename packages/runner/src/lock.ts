import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Stable signed 64-bit advisory lock key of a task (the same on every machine and version). */
export function taskLockKey(task: string): bigint {
  return createHash('sha256').update(`dlsync:task:${task}`).digest().readBigInt64BE(0);
}

export interface HeldLock {
  /** Aborts when the lock's connection is lost: the run must stop, another may take over. */
  signal: AbortSignal;
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** How often the lock connection is probed. (Default: 5000) */
  heartbeatMs?: number;
}

/**
 * Takes `pg_try_advisory_lock` on a connection dedicated to this run, held until release.
 * Returns undefined when another run holds it. A session lock dies with its connection, so
 * losing the connection means losing the lock: the signal fires and the run must stop.
 */
export async function tryAcquireTaskLock(
  pool: pg.Pool,
  task: string,
  options: AcquireLockOptions = {},
): Promise<HeldLock | undefined> {
  const key = taskLockKey(task).toString();
  const client = await pool.connect();
  let acquired = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key]);
    acquired = rows[0]?.locked === true;
  } finally {
    if (!acquired) client.release();
  }
  if (!acquired) return undefined;

  const controller = new AbortController();
  let broken: Error | undefined;
  const lose = (err: Error): void => {
    if (broken) return;
    broken = err;
    controller.abort(new Error(`task lock connection lost: ${err.message}`));
  };
  const onEnd = (): void => lose(new Error('connection ended'));
  client.on('error', lose);
  client.on('end', onEnd);
  const heartbeat = setInterval(() => {
    client.query('SELECT 1').catch((err: Error) => lose(err));
  }, options.heartbeatMs ?? 5_000);
  heartbeat.unref();

  return {
    signal: controller.signal,
    async release() {
      clearInterval(heartbeat);
      client.removeListener('error', lose);
      client.removeListener('end', onEnd);
      if (!broken) {
        try {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        } catch (err) {
          broken = err as Error;
        }
      }
      // A broken connection is destroyed rather than returned to the pool.
      client.release(broken ?? undefined);
    },
  };
}
