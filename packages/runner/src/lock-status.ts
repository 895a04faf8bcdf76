import type pg from 'pg';
import { taskLockKey } from './lock.js';

/**
 * Whether a run of `task` holds its lock right now, without taking it (taking it, even for a
 * moment, could turn a worker's run away as locked). pg_locks is cluster-wide, so only this
 * database's advisory locks count. A session lock on a bigint key shows as classid (high 32
 * bits) and objid (low 32 bits).
 */
export async function isTaskLocked(pool: pg.Pool, task: string): Promise<boolean> {
  const { rows } = await pool.query<{ held: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((classid::bigint << 32) | objid::bigint) = $1::bigint
     ) AS held`,
    [taskLockKey(task).toString()],
  );
  return rows[0]?.held === true;
}
