import { sql, type Kysely } from 'kysely';
import type { Database, WriteState } from './database.js';
import { readConsoleSchema, type ConsoleSchema } from './console-schema.js';

/** A dsco_write row as stored (columns as the migration defines them; dates as ISO text). */
export type WriteRecord = Record<string, unknown> & { state?: string };

/** The states a DSCO write record can be in. */
export const WRITE_STATES: readonly WriteState[] = ['sending', 'pending', 'success', 'failure', 'in_doubt'];

/** The DSCO writes that carried `po`, newest first; [] on a database without dsco_write. */
export async function listWritesForPo(db: Kysely<Database>, po: string, options: { limit?: number; schema?: ConsoleSchema } = {}): Promise<WriteRecord[]> {
  const schema = options.schema ?? (await readConsoleSchema(db));
  if (!schema.writes) return [];
  const match = schema.writes.poNumbersType === 'jsonb' ? sql`w.po_numbers @> jsonb_build_array(${po}::text)` : sql`${po} = ANY(w.po_numbers)`;
  const { rows } = await sql<{ row: WriteRecord }>`
    SELECT to_jsonb(w) AS row FROM dsco_write w WHERE ${match}
    ORDER BY w.sent_at DESC NULLS LAST LIMIT ${options.limit ?? 100}`.execute(db);
  return rows.map((r) => r.row);
}

/** dsco_write rows per state (every known state present); null on a database without dsco_write. */
export async function countWritesByState(db: Kysely<Database>, schema?: ConsoleSchema): Promise<Record<string, number> | null> {
  const s = schema ?? (await readConsoleSchema(db));
  if (!s.writes) return null;
  const counts: Record<string, number> = Object.fromEntries(WRITE_STATES.map((st) => [st, 0]));
  const { rows } = await sql<{ state: string; n: number }>`SELECT state::text AS state, count(*)::int AS n FROM dsco_write GROUP BY state`.execute(db);
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
