import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ATTENTION, type Database, type OrderStatus } from './database.js';
import { readConsoleSchema, type ConsoleSchema } from './console-schema.js';

/** Why an order needs an operator, one name per reason (metrics label, page section, CLI). */
export const ATTENTION_KINDS = ['last_error', 'deadline', 'write', ATTENTION.cancelledAfterShipped, ATTENTION.changedAfterPush, 'flagged'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

export interface AttentionRow {
  kind: AttentionKind;
  po_number: string;
  status: OrderStatus;
  /** What is wrong, in words (the error, the deadline, the write's state). */
  detail: string;
  /** When it happened or falls due (error time, deadline, write sent), when known. */
  at: Date | null;
}

export interface AttentionOptions {
  now: Date;
  /** A deadline this close (or past) needs attention. */
  withinHours: number;
  /** A write still `sending`/`pending` this long after it was sent needs attention. (Default: 30) */
  pendingWriteMinutes?: number;
  /** Rows listed per kind. (Default: 200) */
  limitPerKind?: number;
  /** Only these kinds. (Default: every kind) */
  kinds?: readonly AttentionKind[];
  schema?: ConsoleSchema;
}

/**
 * The DSCO deadline of an order's next step: acknowledge for 1 and 2 (push then ack), ship for
 * 3, invoice for 4; done and cancelled orders have none.
 */
const NEXT_DEADLINE = sql`CASE status WHEN 1 THEN acknowledge_by WHEN 2 THEN acknowledge_by WHEN 3 THEN ship_by WHEN 4 THEN invoice_by END`;

function writePos(schema: ConsoleSchema): RawBuilder<string> {
  return schema.writes?.poNumbersType === 'jsonb'
    ? sql<string>`jsonb_array_elements_text(w.po_numbers)`
    : sql<string>`unnest(w.po_numbers)`;
}

/** One SELECT per kind the database can answer, each yielding (kind, po_number, status, detail, at). */
function kindQueries(schema: ConsoleSchema, o: Required<Omit<AttentionOptions, 'schema'>>): Partial<Record<AttentionKind, RawBuilder<AttentionRow>>> {
  const has = (c: string) => schema.hasOrderColumn(c);
  const out: Partial<Record<AttentionKind, RawBuilder<AttentionRow>>> = {};
  if (has('last_error')) {
    const at = has('last_error_at') ? sql`last_error_at` : sql`updated_at`;
    out.last_error = sql`SELECT 'last_error' AS kind, po_number, status, last_error AS detail, ${at} AS at
      FROM dsco_order_sync WHERE last_error IS NOT NULL AND status BETWEEN 1 AND 4`;
  }
  if (has('acknowledge_by') && has('ship_by') && has('invoice_by')) {
    const horizon = new Date(o.now.getTime() + o.withinHours * 3600_000);
    out.deadline = sql`SELECT 'deadline' AS kind, po_number, status,
        CASE WHEN d.due < ${o.now} THEN 'past ' ELSE 'due ' END ||
          CASE WHEN status <= 2 THEN 'acknowledge' WHEN status = 3 THEN 'ship' ELSE 'invoice' END || ' deadline' AS detail,
        d.due AS at
      FROM dsco_order_sync, LATERAL (SELECT ${NEXT_DEADLINE} AS due) d
      WHERE status BETWEEN 1 AND 4 AND d.due IS NOT NULL AND d.due < ${horizon}`;
  }
  if (schema.writes) {
    // The newest write of each (order, kind) decides: a failure that a later write of the same
    // kind replaced is history, not something to act on.
    const stale = new Date(o.now.getTime() - o.pendingWriteMinutes * 60_000);
    out.write = sql`SELECT DISTINCT ON (l.po_number) 'write' AS kind, l.po_number, l.status,
        'write ' || l.state || coalesce(' (' || l.kind || ', request ' || l.request_id || ')', ' (' || l.kind || ')') AS detail, l.sent_at AS at
      FROM (
        SELECT DISTINCT ON (t.po_number, w.kind) t.po_number, t.status, w.kind, w.state, w.request_id, w.sent_at
        FROM dsco_write w CROSS JOIN LATERAL ${writePos(schema)} AS p(po) JOIN dsco_order_sync t ON t.po_number = p.po
        ORDER BY t.po_number, w.kind, w.sent_at DESC, w.id DESC
      ) l
      WHERE l.state IN ('failure', 'in_doubt') OR (l.state IN ('sending', 'pending') AND l.sent_at < ${stale})
      ORDER BY l.po_number, l.sent_at DESC`;
  }
  if (has('attention')) {
    // Flags raised by the tasks themselves (pull sees a cancellation after shipping, or an
    // address/line change after push); any other flag value is listed as "flagged".
    const detail = has('attention_detail') ? sql`coalesce(attention_detail, attention)` : sql`attention`;
    const at = has('attention_at') ? sql`attention_at` : sql`updated_at`;
    const flag = (kind: AttentionKind, where: RawBuilder<boolean>) =>
      sql<AttentionRow>`SELECT ${kind}::text AS kind, po_number, status, ${detail} AS detail, ${at} AS at
        FROM dsco_order_sync WHERE attention IS NOT NULL AND ${where}`;
    const { cancelledAfterShipped, changedAfterPush } = ATTENTION;
    out[cancelledAfterShipped] = flag(cancelledAfterShipped, sql<boolean>`attention = ${cancelledAfterShipped}`);
    out[changedAfterPush] = flag(changedAfterPush, sql<boolean>`attention = ${changedAfterPush}`);
    out.flagged = flag('flagged', sql<boolean>`attention NOT IN (${cancelledAfterShipped}, ${changedAfterPush})`);
  } else {
    // Before the flag column: shipped (a tracking number went to DSCO) and then cancelled in DSCO.
    out.cancelled_after_shipped = sql`SELECT 'cancelled_after_shipped' AS kind, po_number, status,
        'cancelled in DSCO after shipping ' || shipped_tracking_no AS detail, updated_at AS at
      FROM dsco_order_sync WHERE status = 6 AND shipped_tracking_no IS NOT NULL`;
  }
  for (const kind of ATTENTION_KINDS) if (!o.kinds.includes(kind)) delete out[kind];
  return out;
}

function withDefaults(options: AttentionOptions): Required<Omit<AttentionOptions, 'schema'>> {
  return {
    now: options.now,
    withinHours: options.withinHours,
    pendingWriteMinutes: options.pendingWriteMinutes ?? 30,
    limitPerKind: options.limitPerKind ?? 200,
    kinds: options.kinds ?? ATTENTION_KINDS,
  };
}

/** Orders needing attention, per kind (most urgent first within a kind), `limitPerKind` each. */
export async function listAttention(db: Kysely<Database>, options: AttentionOptions): Promise<AttentionRow[]> {
  const schema = options.schema ?? (await readConsoleSchema(db));
  const o = withDefaults(options);
  const queries = Object.values(kindQueries(schema, o));
  const rows = await Promise.all(
    queries.map(async (q) => (await sql<AttentionRow>`SELECT * FROM (${q}) k ORDER BY at ASC NULLS LAST, po_number LIMIT ${o.limitPerKind}`.execute(db)).rows),
  );
  return rows.flat();
}

/** How many orders need attention, per kind (every kind present; 0 where the database cannot tell). */
export async function countAttention(db: Kysely<Database>, options: AttentionOptions): Promise<Record<AttentionKind, number>> {
  const schema = options.schema ?? (await readConsoleSchema(db));
  const counts = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, 0])) as Record<AttentionKind, number>;
  const entries = Object.entries(kindQueries(schema, withDefaults(options))) as [AttentionKind, RawBuilder<AttentionRow>][];
  await Promise.all(
    entries.map(async ([kind, q]) => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${q}) k`.execute(db);
      counts[kind] = rows[0]?.n ?? 0;
    }),
  );
  return counts;
}

export interface ClearBackoffResult {
  /** The POs whose backoff was cleared (they had one). */
  cleared: string[];
  /** false when the database has no backoff column yet (nothing to clear). */
  supported: boolean;
}

/**
 * "Retry now": clears next_attempt_at of the given orders so the next run of their task picks
 * them up instead of waiting out the backoff. Attempts and the last error stay for the record.
 */
export async function clearBackoff(db: Kysely<Database>, pos: readonly string[], schema?: ConsoleSchema): Promise<ClearBackoffResult> {
  const s = schema ?? (await readConsoleSchema(db));
  if (!s.hasOrderColumn('next_attempt_at')) return { cleared: [], supported: false };
  if (pos.length === 0) return { cleared: [], supported: true };
  const { rows } = await sql<{ po_number: string }>`
    UPDATE dsco_order_sync SET next_attempt_at = NULL
    WHERE po_number = ANY(${[...pos]}::text[]) AND next_attempt_at IS NOT NULL
    RETURNING po_number`.execute(db);
  return { cleared: rows.map((r) => r.po_number).sort(), supported: true };
}
