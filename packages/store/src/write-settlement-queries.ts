import { sql, type Kysely } from 'kysely';
import type { Database, JsonValue, WriteRow } from './database.js';

/**
 * One item of a write as `dsco_write.results` keeps it: the key it is tracked by (a PO number
 * or a SKU), the hash of the item as sent, and what DSCO's change log said about it.
 */
export interface WriteItemResult {
  key: string;
  hash: string;
  /**
   * pending: not settled yet; success / failure: DSCO's verdict; not_sent: the call never
   * reached DSCO or was refused before any item was looked at; lost: DSCO's change log never
   * showed it, so it was never received.
   */
  status: 'pending' | 'success' | 'failure' | 'not_sent' | 'lost';
  /** DSCO's codes and descriptions for a failure, as one line. */
  reason?: string;
  /** DSCO's result codes. */
  codes?: string[];
  [extra: string]: unknown;
}

/** How often one unchanged item has failed in DSCO's change log. */
export interface ItemFailureHistory {
  key: string;
  hash: string;
  failures: number;
  lastFailedAt: Date;
  lastReason: string | null;
}

/** A dsco_write row as the settlement queries return it. */
export type SettlementWriteRow = WriteRow;

const OPEN = ['sending', 'pending', 'in_doubt'];

/** Every key `k` (PO number or SKU) of the writes of `kind` still open, as a FROM … WHERE fragment. */
const openKeysOf = (kind: string) => sql`dsco_write w, unnest(w.po_numbers || w.skus) AS k
    WHERE w.kind = ${kind} AND w.state = ANY(${OPEN}::text[])`;

/** How many distinct keys the writes of `kind` still open carry (rows DSCO may still be applying). */
export async function countOpenWriteKeys(db: Kysely<Database>, kind: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT k)::int AS n FROM ${openKeysOf(kind)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Which of `keys` (PO numbers or SKUs) a write of `kind` still open (sending, pending, in doubt) carries.
 *
 * The few open writes come from the state index and their keys are matched one by one against
 * `keys` (a hashed `= ANY`). No `&&` on the arrays: Postgres evaluates a row's `&&` by comparing
 * every element with every element, about 90 ms for three writes of 1,000 POs against 1,000 keys.
 */
export async function openWriteKeys(db: Kysely<Database>, kind: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await sql<{ key: string }>`
    SELECT DISTINCT k AS key FROM ${openKeysOf(kind)} AND k = ANY(${[...keys]}::text[])`.execute(db);
  return new Set(rows.map((r) => r.key));
}

/**
 * Per key and item hash, how many settled writes of `kind` DSCO failed that exact item in, and
 * when the last one settled: what stops an unchanged failing item from being re-sent forever.
 *
 * Only writes with a failed item are read, through the partial index
 * `dsco_write_failed_items_idx`, whose predicate the `@>` below repeats word for word (it must
 * stay a literal for the planner to match it). Every run asks this for up to 1,000 keys; the
 * `&&` array filter this replaced compared every PO of every earlier write with every key, which
 * grew with the history (170 ms a call after 30 writes of 1,000 POs).
 */
export async function itemFailureHistory(db: Kysely<Database>, kind: string, keys: readonly string[]): Promise<ItemFailureHistory[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ key: string; hash: string; failures: number; last_failed_at: Date; last_reason: string | null }>`
    SELECT r->>'key' AS key, r->>'hash' AS hash, count(*)::int AS failures,
           max(coalesce(w.settled_at, w.sent_at)) AS last_failed_at,
           (array_agg(r->>'reason' ORDER BY coalesce(w.settled_at, w.sent_at) DESC))[1] AS last_reason
    FROM dsco_write w, jsonb_array_elements(CASE WHEN jsonb_typeof(w.results) = 'array' THEN w.results ELSE '[]'::jsonb END) AS r
    WHERE w.kind = ${kind} AND w.results @> '[{"status":"failure"}]'
      AND r->>'status' = 'failure' AND r->>'key' = ANY(${[...keys]}::text[])
    GROUP BY 1, 2`.execute(db);
  return rows.map((r) => ({ key: r.key, hash: r.hash, failures: r.failures, lastFailedAt: r.last_failed_at, lastReason: r.last_reason }));
}

/** Which of `requestIds` belong to a write other than `exceptId`. */
export async function requestIdsOfOtherWrites(db: Kysely<Database>, requestIds: readonly string[], exceptId: number): Promise<Set<string>> {
  if (requestIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('dsco_write')
    .select('request_id')
    .where('request_id', 'in', [...requestIds])
    .where('id', '<>', exceptId)
    .execute();
  return new Set(rows.map((r) => r.request_id).filter((id): id is string => id !== null));
}

/**
 * Every write that carried `po` (as a PO number or, for inventory, never), newest first, for
 * `dlsync orders show` and the admin API: what was sent when, and what DSCO answered.
 */
export function listWritesByPo(db: Kysely<Database>, po: string, options: { limit?: number } = {}): Promise<WriteRow[]> {
  return db
    .selectFrom('dsco_write')
    .selectAll()
    .where(sql<boolean>`po_numbers @> ARRAY[${po}]::text[]`)
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
    .execute();
}

const openOfKind = (db: Kysely<Database>, kind: string, ids: readonly number[] | undefined) => {
  const open = db
    .selectFrom('dsco_write')
    .where('kind', '=', kind)
    .where('state', 'in', OPEN as WriteRow['state'][]);
  return ids === undefined ? open : open.where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`);
};

/**
 * Writes of `kind` in an open state, oldest first (what a run settles before it sends); with
 * `ids`, only those of them.
 */
export function listOpenWritesOfKind(db: Kysely<Database>, kind: string, options: { limit?: number; ids?: readonly number[] } = {}): Promise<WriteRow[]> {
  return openOfKind(db, kind, options.ids)
    .selectAll()
    .orderBy('sent_at')
    .orderBy('id')
    .limit(options.limit ?? 1000)
    .execute();
}

/**
 * Which of `ids` are writes of `kind` still open, and in which state. No bodies or results: a
 * write of 1,000 shipments carries about a megabyte of them, and a run polling its own write
 * asks this after every read.
 */
export function openWriteStates(db: Kysely<Database>, kind: string, ids: readonly number[]): Promise<Pick<WriteRow, 'id' | 'state'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return openOfKind(db, kind, ids).select(['id', 'state']).orderBy('id').execute();
}

/**
 * Moves an open write to `state` with its per-item results; final states stamp settled_at.
 * False when the write was settled meanwhile (a final state never changes).
 */
export async function updateOpenWrite(
  db: Kysely<Database>,
  id: number,
  update: {
    state: WriteRow['state'];
    requestId?: string;
    results?: readonly WriteItemResult[];
    error?: string | null;
    /** When a final state was reached: the caller's clock, as its backoff is computed with it. (Default: now()) */
    at?: Date;
    /** Where a read of its change log stopped part-way (null: none). A final state clears it. */
    logResume?: JsonValue | null;
  },
): Promise<boolean> {
  const final = update.state === 'success' || update.state === 'failure';
  const logResume = final ? null : update.logResume;
  const result = await db
    .updateTable('dsco_write')
    .set({
      state: update.state,
      ...(update.requestId !== undefined && { request_id: update.requestId }),
      ...(update.results !== undefined && { results: JSON.stringify(update.results) }),
      ...(update.error !== undefined && { error: update.error }),
      ...(final && { settled_at: update.at ?? sql<Date>`now()` }),
      ...(logResume !== undefined && { log_resume: logResume === null ? null : JSON.stringify(logResume) }),
    })
    .where('id', '=', id)
    .where('state', 'in', OPEN as WriteRow['state'][])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Gives a run's inventory rows of `skus` (those with a mapped warehouse: the ones their item
 * carried) the requestId their write settled under, and marks them pushed, when they have no
 * request id yet: the write's answer was lost and its change log told the id later.
 * Returns how many rows changed.
 */
export async function attachInventoryRequestId(db: Kysely<Database>, runId: string, skus: readonly string[], requestId: string): Promise<number> {
  if (skus.length === 0) return 0;
  const result = await db
    .updateTable('dsco_warehouse_sync')
    .set({ dsco_request_id: requestId, pushed: true })
    .where('run_id', '=', runId)
    .where('partner_sku', 'in', [...skus])
    .where('warehouse_code', 'is not', null)
    .where('dsco_request_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A PO whose latest settled write of a kind failed: what check_orders and the attention view list. */
export interface FailedWrite {
  po: string;
  kind: string;
  writeId: number;
  requestId: string | null;
  /** DSCO's reason for this PO's item (or the write's error when the item has none). */
  reason: string;
  settledAt: Date | null;
}

/**
 * For each of `pos` and each write kind, the latest settled write when it failed for that PO
 * (a later success, or a later failure of another item only, hides an earlier failure).
 *
 * Every settled write's POs are matched against `pos` with a hashed `= ANY` (about 85 ms for 300
 * writes of 1,000 POs and 1,000 `pos`). A `po_numbers && pos` filter looks cheaper but Postgres
 * compares element by element: 9 s for the same shape.
 */
export async function latestFailedWrites(db: Kysely<Database>, pos: readonly string[]): Promise<FailedWrite[]> {
  if (pos.length === 0) return [];
  const { rows } = await sql<{ po: string; kind: string; id: number; request_id: string | null; error: string | null; results: unknown; settled_at: Date | null }>`
    SELECT DISTINCT ON (p, w.kind) p AS po, w.kind, w.id, w.request_id, w.error, w.results, w.settled_at
    FROM dsco_write w, unnest(w.po_numbers) AS p
    WHERE p = ANY(${[...pos]}::text[]) AND w.state IN ('success', 'failure')
    ORDER BY p, w.kind, w.sent_at DESC, w.id DESC`.execute(db);
  const out: FailedWrite[] = [];
  for (const r of rows) {
    const item = Array.isArray(r.results) ? (r.results as WriteItemResult[]).find((x) => x.key === r.po) : undefined;
    if (!item || item.status === 'success' || item.status === 'pending') continue;
    out.push({ po: r.po, kind: r.kind, writeId: r.id, requestId: r.request_id, reason: item.reason ?? r.error ?? item.status, settledAt: r.settled_at });
  }
  return out;
}
