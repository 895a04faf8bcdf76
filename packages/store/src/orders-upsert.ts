import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OrderStatus } from './database.js';
import { chunk } from './chunk.js';
import { findUnstorableText, mayHoldUnstorableText } from './storable-text.js';

/** Status of a PO the first time it is pulled (SPEC §6 pull_dsco_orders). */
export type PulledStatus = 1 | 5 | 6;

/** One DSCO order as pull_dsco_orders stores it: raw payload plus derived columns. */
export interface PulledOrderRow {
  po_number: string;
  dsco_order_id: string | null;
  dsco_retailer_id: string | null;
  dsco_status: string | null;
  /** UTC epoch seconds of `dscoCreateDate`. */
  dsco_create_time: number;
  mskus: string | null;
  warehouse_id: string | null;
  shipment: string | null;
  /** The raw DSCO order (any JSON-serializable value). */
  payload: unknown;
  /** created|shipment_pending → 1, shipped/completed → 5, cancelled → 6. */
  pulledStatus: PulledStatus;
}

export interface StatusChange {
  po_number: string;
  from: OrderStatus;
  to: OrderStatus;
}

export interface UpsertPulledResult {
  inserted: number;
  updated: number;
  /** Existing rows left untouched because nothing would change. */
  unchanged: number;
  /** Existing rows whose status moved (new rows are not listed). */
  statusChanged: StatusChange[];
  /** Rows not written because Postgres cannot store them (e.g. a `\u0000`), with the reason. */
  rejected: { po_number: string; reason: string }[];
  /** Rows already in Lingxing whose address or lines changed: flagged for operators. */
  flagged: { po_number: string; detail: string }[];
}

/** Columns pull derives from the payload; refreshed on every re-pull. */
const DERIVED_COLUMNS = [
  'dsco_order_id',
  'dsco_retailer_id',
  'dsco_status',
  'dsco_create_time',
  'mskus',
  'warehouse_id',
  'shipment',
] as const;

/** DSCO's deadlines, read from the payload (an unparseable date is stored as null). */
const DEADLINES = {
  acknowledge_by: 'acknowledgeByDate',
  ship_by: 'shipByDate',
  invoice_by: 'invoiceByDate',
  cancel_after: 'cancelAfterDate',
} as const;
type DeadlineColumn = keyof typeof DEADLINES;
const DEADLINE_COLUMNS = Object.keys(DEADLINES) as DeadlineColumn[];

/** Everything a re-pull overwrites. */
const REFRESHED_COLUMNS = [...DERIVED_COLUMNS, ...DEADLINE_COLUMNS, 'payload'] as const;

/** Columns of the `unnest(...)` input relation `i`; `status` is the pulled status. */
const INPUT_COLUMNS = ['po_number', ...REFRESHED_COLUMNS, 'status'] as const;

/**
 * SPEC §6: on re-pull the status only moves forward. Cancelled → 6 unless already 5 (the one
 * jump past 2..4 nobody else makes); shipped → 5 only from 1 or 2 (from 3/4 the ship and invoice
 * tasks still have work to do); anything else keeps the current status. `prev` is the locked row.
 */
const NEXT_STATUS = sql<OrderStatus>`CASE
    WHEN i.status = 6 AND prev.status <> 5 THEN 6
    WHEN i.status = 5 AND prev.status IN (1, 2) THEN 5
    ELSE prev.status
  END`;

type Executor = Kysely<Database> | Transaction<Database>;

/** A validated row with its payload already serialized (once, before anything is written). */
type PreparedRow = PulledOrderRow & { payloadJson: string; deadlines: Record<DeadlineColumn, string | null> };

function deadlinesOf(payload: unknown): Record<DeadlineColumn, string | null> {
  const source = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const out = {} as Record<DeadlineColumn, string | null>;
  for (const column of DEADLINE_COLUMNS) {
    const raw = source[DEADLINES[column]];
    const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
    out[column] = Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  return out;
}

function prepare(row: PulledOrderRow, payloadJson: string): PreparedRow {
  if (!row.po_number) throw new TypeError('pulled order without po_number');
  if (!Number.isSafeInteger(row.dsco_create_time)) {
    throw new TypeError(`po ${row.po_number}: dsco_create_time must be integer epoch seconds`);
  }
  if (row.pulledStatus !== 1 && row.pulledStatus !== 5 && row.pulledStatus !== 6) {
    throw new TypeError(`po ${row.po_number}: pulledStatus must be 1, 5 or 6`);
  }
  return { ...row, payloadJson, deadlines: deadlinesOf(row.payload) };
}

/** Columns of the input relation that travel as one array parameter each (all but the payload). */
const ARRAY_COLUMNS = INPUT_COLUMNS.filter((c) => c !== 'payload');

/**
 * The rows as a relation `i(po_number, …, payload, status)`: one array parameter per column, so
 * a statement carries the same few parameters whatever the batch size (no 65535-parameter ceiling). The
 * payloads go as one JSON array, paired with the other columns by position: as a `jsonb[]`
 * literal pg would escape every quote of every payload, and Postgres parse it twice.
 */
function inputRelation(rows: readonly PreparedRow[]) {
  const text = (pick: (r: PreparedRow) => string | null) => sql`${rows.map(pick)}::text[]`;
  const payloads = `[${rows.map((r) => r.payloadJson).join(',')}]`;
  return sql`(
      SELECT ${sql.join(INPUT_COLUMNS.map((c) => (c === 'payload' ? sql`p.payload` : sql.ref(`u.${c}`))))}
      FROM unnest(
        ${text((r) => r.po_number)},
        ${text((r) => r.dsco_order_id)},
        ${text((r) => r.dsco_retailer_id)},
        ${text((r) => r.dsco_status)},
        ${rows.map((r) => r.dsco_create_time)}::bigint[],
        ${text((r) => r.mskus)},
        ${text((r) => r.warehouse_id)},
        ${text((r) => r.shipment)},
        ${sql.join(DEADLINE_COLUMNS.map((c) => sql`${rows.map((r) => r.deadlines[c])}::timestamptz[]`))},
        ${rows.map((r) => r.pulledStatus)}::smallint[]
      ) WITH ORDINALITY AS u(${sql.join(ARRAY_COLUMNS.map((c) => sql.id(c)))}, ord)
      JOIN jsonb_array_elements(${payloads}::jsonb) WITH ORDINALITY AS p(payload, ord) ON p.ord = u.ord
    ) AS i`;
}

const columnList = (alias: string, columns: readonly string[]) =>
  sql.join(columns.map((c) => sql.ref(`${alias}.${c}`)));

async function insertNew(trx: Executor, rows: readonly PreparedRow[]): Promise<Set<string>> {
  const { rows: inserted } = await sql<{ po_number: string }>`
    INSERT INTO dsco_order_sync (${sql.join(INPUT_COLUMNS.map((c) => sql.id(c)))})
    SELECT ${columnList('i', INPUT_COLUMNS)} FROM ${inputRelation(rows)}
    ON CONFLICT (po_number) DO NOTHING
    RETURNING po_number`.execute(trx);
  return new Set(inserted.map((r) => r.po_number));
}

/**
 * An order already in Lingxing (2..5) whose address or lines changed: Lingxing still has the old
 * ones, so an operator must look. The text says what changed; null = nothing to flag.
 */
const CHANGE_AFTER_PUSH = sql<string | null>`CASE WHEN prev.status BETWEEN 2 AND 5 THEN
    NULLIF(concat_ws(', ',
      CASE WHEN i.payload->'shipping' IS DISTINCT FROM prev.payload->'shipping' THEN 'address' END,
      CASE WHEN i.mskus IS DISTINCT FROM prev.mskus THEN 'lines' END), '')
  END`;

interface Refreshed extends StatusChange {
  flagged: string | null;
}

/**
 * Refreshes existing rows in one statement. The `prev` subquery locks each row FOR UPDATE and
 * reads its latest status, so the status rule and the reported `from` see the same committed
 * value a concurrent guarded transition would have left. Locks are taken in po_number order, as
 * transitionMany does, so the two cannot deadlock. Rows that would not change are filtered out by
 * the WHERE, so their updated_at stays put. A status change starts the row's retry count afresh
 * (attempts count tries at the current status). A cancelled-after-shipped flag is never replaced.
 */
async function refreshExisting(trx: Executor, rows: readonly PreparedRow[]): Promise<Refreshed[]> {
  const moved = sql`n.next_status <> t.status`;
  const { rows: updated } = await sql<Refreshed>`
    UPDATE dsco_order_sync AS t
    SET ${sql.join(REFRESHED_COLUMNS.map((c) => sql`${sql.id(c)} = ${sql.ref(`n.${c}`)}`))},
        status = n.next_status,
        updated_at = now(),
        attempts = CASE WHEN ${moved} THEN 0 ELSE t.attempts END,
        next_attempt_at = CASE WHEN ${moved} THEN NULL ELSE t.next_attempt_at END,
        last_error = CASE WHEN ${moved} THEN NULL ELSE t.last_error END,
        last_error_at = CASE WHEN ${moved} THEN NULL ELSE t.last_error_at END,
        attention = CASE WHEN n.flagged IS NOT NULL AND t.attention IS DISTINCT FROM 'cancelled_after_shipped'
                    THEN 'changed_after_push' ELSE t.attention END,
        attention_at = CASE WHEN n.flagged IS NOT NULL AND t.attention IS DISTINCT FROM 'cancelled_after_shipped'
                       THEN now() ELSE t.attention_at END,
        attention_detail = CASE WHEN n.flagged IS NOT NULL AND t.attention IS DISTINCT FROM 'cancelled_after_shipped'
                           THEN n.flagged || ' changed after the order was created in Lingxing' ELSE t.attention_detail END
    FROM (
      SELECT i.*, prev.status AS prev_status, ${NEXT_STATUS} AS next_status, ${CHANGE_AFTER_PUSH} AS flagged
      FROM ${inputRelation(rows)}
      JOIN (
        SELECT po_number, status, mskus, payload FROM dsco_order_sync
        WHERE po_number = ANY(${rows.map((r) => r.po_number)}::text[])
        ORDER BY po_number
        FOR UPDATE
      ) AS prev ON prev.po_number = i.po_number
    ) AS n
    WHERE t.po_number = n.po_number
      AND (${columnList('t', REFRESHED_COLUMNS)}, t.status) IS DISTINCT FROM (${columnList('n', REFRESHED_COLUMNS)}, n.next_status)
    RETURNING t.po_number, n.prev_status AS "from", t.status AS "to", n.flagged`.execute(trx);
  return updated;
}

/**
 * Last occurrence wins: a PO seen twice in one pull (overlapping pages) is written once. A row
 * Postgres cannot store is set aside with its reason instead of failing its whole batch.
 */
function prepareAll(rows: readonly PulledOrderRow[], rejected: UpsertPulledResult['rejected']): PreparedRow[] {
  const byPo = new Map<string, PreparedRow>();
  for (const row of rows) {
    const payloadJson = JSON.stringify(row.payload) as string | undefined;
    if (payloadJson === undefined) throw new TypeError(`po ${row.po_number}: payload is not JSON-serializable`);
    const checked = { po_number: row.po_number, mskus: row.mskus, payload: mayHoldUnstorableText(payloadJson) ? row.payload : undefined };
    const problem = findUnstorableText(checked);
    byPo.delete(row.po_number);
    if (problem) rejected.push({ po_number: row.po_number, reason: `malformed order: ${problem}` });
    else byPo.set(row.po_number, prepare(row, payloadJson));
  }
  return [...byPo.values()];
}

export interface UpsertPulledOptions {
  /** Rows per statement; each batch is one transaction. (Default: 1000) */
  batchSize?: number;
}

/**
 * Inserts new POs at their pulled status and refreshes existing ones (payload and derived
 * columns; status per {@link NEXT_STATUS}). Never touches lingxing_order_nos,
 * shipped_tracking_no or dsco_invoice_id. Re-running the same pull changes nothing.
 */
export async function upsertPulledOrders(
  db: Kysely<Database>,
  rows: readonly PulledOrderRow[],
  options: UpsertPulledOptions = {},
): Promise<UpsertPulledResult> {
  const result: UpsertPulledResult = { inserted: 0, updated: 0, unchanged: 0, statusChanged: [], rejected: [], flagged: [] };
  for (const batch of chunk(prepareAll(rows, result.rejected), options.batchSize ?? 1000)) {
    await db.transaction().execute(async (trx) => {
      const inserted = await insertNew(trx, batch);
      const existing = batch.filter((r) => !inserted.has(r.po_number));
      const updated = existing.length ? await refreshExisting(trx, existing) : [];
      result.inserted += inserted.size;
      result.updated += updated.length;
      result.unchanged += existing.length - updated.length;
      for (const { po_number, from, to, flagged } of updated) {
        if (from !== to) result.statusChanged.push({ po_number, from, to });
        if (flagged) result.flagged.push({ po_number, detail: flagged });
      }
    });
  }
  return result;
}
