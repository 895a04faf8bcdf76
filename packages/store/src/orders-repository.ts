import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { resolveBackoff, type BackoffPolicy } from './backoff.js';
import { ORDER_STATUSES, type OrderAttentionKind, type Database, type OrderRow, type OrderStatus } from './database.js';
import { InvalidPatchError } from './errors.js';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor.js';
import { assertForwardTransition, pickOrderPatch, type OrderPatch, type PatchableOrderField } from './order-status-rules.js';
import { upsertPulledOrders, type PulledOrderRow, type UpsertPulledResult } from './orders-upsert.js';
import { textArrayLiteral } from './text-array-literal.js';

export interface ListByStatusOptions {
  limit: number;
  /** Only this exact PO (a task's onlyPoNumber). */
  poNumber?: string;
}

export interface OrderSearch {
  status?: OrderStatus;
  /** Literal prefix of po_number (`%` and `_` match themselves). */
  poPrefix?: string;
  /** `nextCursor` of the previous page. */
  after?: string;
  limit: number;
  /** Direction of (dsco_create_time, po_number). (Default: 'desc', newest first) */
  order?: 'asc' | 'desc';
}

export interface OrderSearchPage {
  items: OrderRow[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ListStuckOptions {
  /** Rows whose updated_at is before this instant. */
  olderThan: Date;
  /** (Default: [1, 2, 3, 4], every status a task still has to act on) */
  statuses?: OrderStatus[];
  /** (Default: 1000) */
  limit?: number;
}

export interface OrdersRepositoryOptions {
  /** Rows per upsertPulled statement. (Default: 1000) */
  upsertBatchSize?: number;
  /** How long a skipped row waits before it is due again. (Default: {@link DEFAULT_BACKOFF}, 60 s doubling up to 1 h) */
  backoff?: BackoffPolicy;
}

export interface ListDueOptions {
  limit: number;
  /** Rows whose next_attempt_at is null or at most this instant are due. */
  now: Date;
  /** `nextCursor` of the previous page. */
  after?: string;
  /**
   * POs left out, as if they were not at the status (rows another part of the run is handling).
   * A caller asking again with the same list passes the same array: its literal is built once.
   */
  exclude?: readonly string[];
}

/** Why a task skipped or failed a row, to record on it. */
export interface SkipRecord {
  po: string;
  reason: string;
  /**
   * The row is only waiting for the other side (not shipped yet, a write still applying): due
   * again after the fixed waiting delay, without counting an attempt or replacing last_error.
   */
  waiting?: boolean;
}

export interface OrdersRepository {
  /** Batched upsert of pulled DSCO orders with SPEC §6's forward-only status rule. */
  upsertPulled(rows: readonly PulledOrderRow[]): Promise<UpsertPulledResult>;
  /** Rows at `status`, oldest dsco_create_time first (ties by po_number). */
  listByStatus(status: OrderStatus, options: ListByStatusOptions): Promise<OrderRow[]>;
  /**
   * Rows at `status` that are due (next_attempt_at null or ≤ now), oldest first, keyset-paged:
   * rows that keep being skipped back off and never hold the rows behind them.
   */
  listDue(status: OrderStatus, options: ListDueOptions): Promise<OrderSearchPage>;
  /** The rows {@link listDue} would return, counted up to `upTo` only. */
  countDue(status: OrderStatus, options: Omit<ListDueOptions, 'after' | 'limit'> & { upTo: number }): Promise<number>;
  /**
   * Records why rows at `status` were skipped: last_error(_at), attempts + 1, and next_attempt_at
   * = now + capped exponential backoff; a waiting row only gets next_attempt_at = now + the
   * waiting delay. `policy` overrides the store's backoff (the runtime config's `retry`). Rows no
   * longer at `status` are left alone (their new status starts afresh). Returns the POs recorded.
   */
  recordSkips(items: readonly SkipRecord[], status: OrderStatus, now: Date, policy?: BackoffPolicy): Promise<string[]>;
  /** One-row {@link recordSkips}; false when the row is not at `status`. */
  recordSkip(po: string, status: OrderStatus, reason: string, now: Date): Promise<boolean>;
  /** Raises an operator flag on a row at `expectedStatus`; false when the row is not there. */
  flagAttention(po: string, expectedStatus: OrderStatus, kind: OrderAttentionKind, detail: string): Promise<boolean>;
  /** Records that the cancelled PO's Lingxing orders were cancelled; false when not at 6 or already recorded. */
  markLingxingCancelled(po: string, at: Date): Promise<boolean>;
  /**
   * Cancelled rows (6) created in Lingxing whose Lingxing orders are not cancelled yet and not
   * flagged, due at `now` (a failed cancel backs off like any skip), oldest first. With
   * `poNumber`, that row whether due or not.
   */
  listLingxingCancellable(options: ListByStatusOptions & { now: Date }): Promise<OrderRow[]>;
  /**
   * Guarded move `from` → `to` (plus optional field patch); false when the row is not at `from`.
   * @throws InvalidTransitionError for a backwards, sideways or cancelling move.
   */
  transition(po: string, from: OrderStatus, to: OrderStatus, patch?: OrderPatch): Promise<boolean>;
  /** Guarded batch move; returns the POs that moved. */
  transitionMany(pos: readonly string[], from: OrderStatus, to: OrderStatus): Promise<string[]>;
  /**
   * Guarded `from → to` of many rows in one statement, each with its own patch (a field left
   * undefined keeps its value). Returns the POs that moved; rows not at `from` are left alone.
   */
  transitionEach(items: readonly { po: string; patch?: OrderPatch }[], from: OrderStatus, to: OrderStatus): Promise<string[]>;
  /** Guarded field update without a status change; false when the row is not at `expectedStatus`. */
  patch(po: string, expectedStatus: OrderStatus, patch: OrderPatch): Promise<boolean>;
  /** Newest dsco_create_time (epoch seconds), undefined when the table is empty. */
  maxCreateTime(): Promise<number | undefined>;
  getByPo(po: string): Promise<OrderRow | undefined>;
  /** The rows that exist among `pos`, by po_number. */
  getByPos(pos: readonly string[]): Promise<OrderRow[]>;
  countByStatus(): Promise<Record<OrderStatus, number>>;
  /**
   * Rows at `status` (with `updatedBefore`, only those not updated since), counted up to `upTo`
   * only (an index range that stops there, not a count of the table).
   */
  countAtStatus(status: OrderStatus, upTo: number, options?: { updatedBefore?: Date }): Promise<number>;
  /** Keyset-paginated listing for the admin API. */
  search(query: OrderSearch): Promise<OrderSearchPage>;
  /** Rows a task should have moved by now, least recently updated first. */
  listStuck(options: ListStuckOptions): Promise<OrderRow[]>;
}

const now = sql<Date>`now()`;

/** A status change starts the row's retry bookkeeping afresh (attempts count tries at one status). */
const RESET_RETRY = { attempts: 0, next_attempt_at: null, last_error: null, last_error_at: null } as const;

function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

type OrderQuery = SelectQueryBuilder<Database, 'dsco_order_sync', OrderRow>;

/**
 * Rows at `status` due at `at`, less `exclude`, as the two kinds of due row, each a query of its own: rows never deferred
 * (next_attempt_at null, most of them, read in (dsco_create_time, po_number) order straight off
 * a partial index) and rows whose deferral has passed (few, sorted). One OR of the two reads
 * every row at the status and sorts them whenever the planner misjudges the split — which it
 * does on a table whose status counts change by thousands a second.
 */
function dueBranches<O>(q: SelectQueryBuilder<Database, 'dsco_order_sync', O>, status: OrderStatus, at: Date, exclude: readonly string[]) {
  const atStatus = exclude.length > 0 ? q.where('status', '=', status).where(sql<boolean>`po_number <> ALL(${textArrayLiteral(exclude)}::text[])`) : q.where('status', '=', status);
  return [atStatus.where('next_attempt_at', 'is', null), atStatus.where('next_attempt_at', '<=', at)] as const;
}

/** Rows after the cursor `after` in (dsco_create_time, po_number) `order`. */
function afterCursor(q: OrderQuery, after: string | undefined, order: 'asc' | 'desc'): OrderQuery {
  if (after === undefined) return q;
  const c = decodeOrderCursor(after);
  return q.where((eb) => eb(eb.refTuple('dsco_create_time', 'po_number'), order === 'asc' ? '>' : '<', eb.tuple(c.dsco_create_time, c.po_number)));
}

function pageOf(rows: OrderRow[], limit: number): OrderSearchPage {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeOrderCursor(last) : null };
}

/** One page of `q` in (dsco_create_time, po_number) order after the cursor `after`. */
async function keysetPage(
  q: OrderQuery,
  { after, limit, order }: { after: string | undefined; limit: number; order: 'asc' | 'desc' },
): Promise<OrderSearchPage> {
  const rows = await afterCursor(q, after, order).orderBy('dsco_create_time', order).orderBy('po_number', order).limit(limit + 1).execute();
  return pageOf(rows, limit);
}

/** The oldest due rows: each branch's first page, merged in order (each read stops at its limit). */
async function duePage(db: Kysely<Database>, status: OrderStatus, { limit, now: at, after, exclude = [] }: ListDueOptions): Promise<OrderSearchPage> {
  const [fresh, deferred] = dueBranches(db.selectFrom('dsco_order_sync').selectAll(), status, at, exclude);
  const firstPage = (branch: OrderQuery) => db.selectFrom(afterCursor(branch, after, 'asc').orderBy('dsco_create_time').orderBy('po_number').limit(limit + 1).as('b')).selectAll();
  const rows = await db.selectFrom(firstPage(fresh).unionAll(firstPage(deferred)).as('u')).selectAll().orderBy('dsco_create_time').orderBy('po_number').limit(limit + 1).execute();
  return pageOf(rows, limit);
}

export function makeOrdersRepository(db: Kysely<Database>, options: OrdersRepositoryOptions = {}): OrdersRepository {
  const orders = () => db.selectFrom('dsco_order_sync').selectAll();
  const backoff = resolveBackoff(options.backoff);

  async function recordSkips(items: readonly SkipRecord[], status: OrderStatus, at: Date, policy?: BackoffPolicy): Promise<string[]> {
    // One entry per PO (the last one wins), so a PO reported twice counts one attempt.
    const byPo = new Map(items.map((i) => [i.po, { reason: i.reason.slice(0, 2000), waiting: i.waiting === true }]));
    if (byPo.size === 0) return [];
    const p = policy ? resolveBackoff({ ...backoff, ...policy }) : backoff;
    const entries = [...byPo.values()];
    // Backoff base · 2^(attempts before this skip), capped; a waiting row gets the fixed delay and
    // keeps its attempts and last error. Locks in po_number order like the transitions.
    const { rows } = await sql<{ po_number: string }>`
      WITH v AS (
        SELECT * FROM unnest(${[...byPo.keys()]}::text[], ${entries.map((e) => e.reason)}::text[], ${entries.map((e) => e.waiting)}::boolean[])
          AS v(po, reason, waiting)
      ), locked AS (
        SELECT t.po_number FROM dsco_order_sync t JOIN v ON v.po = t.po_number
        WHERE t.status = ${status} ORDER BY t.po_number FOR UPDATE OF t
      )
      UPDATE dsco_order_sync t SET
        last_error = CASE WHEN v.waiting THEN t.last_error ELSE v.reason END,
        last_error_at = CASE WHEN v.waiting THEN t.last_error_at ELSE ${at}::timestamptz END,
        attempts = t.attempts + CASE WHEN v.waiting THEN 0 ELSE 1 END,
        next_attempt_at = ${at}::timestamptz + make_interval(secs => CASE WHEN v.waiting THEN ${p.waitingSeconds}::float8
          ELSE LEAST(${p.maxSeconds}::float8, ${p.baseSeconds}::float8 * power(2, LEAST(t.attempts, 30))) END)
      FROM v
      WHERE t.po_number = v.po AND t.status = ${status} AND t.po_number IN (SELECT po_number FROM locked)
      RETURNING t.po_number`.execute(db);
    return rows.map((r) => r.po_number);
  }

  return {
    upsertPulled: (rows) => upsertPulledOrders(db, rows, { batchSize: options.upsertBatchSize }),

    async listByStatus(status, { limit, poNumber }) {
      assertLimit(limit);
      let q = orders().where('status', '=', status);
      if (poNumber !== undefined) q = q.where('po_number', '=', poNumber);
      return q.orderBy('dsco_create_time').orderBy('po_number').limit(limit).execute();
    },

    async listDue(status, options) {
      assertLimit(options.limit);
      return duePage(db, status, options);
    },

    async countDue(status, { upTo, now: at, exclude = [] }) {
      assertLimit(upTo);
      const [fresh, deferred] = dueBranches(db.selectFrom('dsco_order_sync').select(sql<number>`1`.as('one')), status, at, exclude);
      const upToLimit = (branch: typeof fresh) => db.selectFrom(branch.limit(upTo).as('b')).selectAll();
      const row = await db.selectFrom(upToLimit(fresh).unionAll(upToLimit(deferred)).as('d')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Math.min(upTo, Number(row.n));
    },

    recordSkips,

    async recordSkip(po, status, reason, at) {
      return (await recordSkips([{ po, reason }], status, at)).length > 0;
    },

    async flagAttention(po, expectedStatus, kind, detail) {
      const result = await db
        .updateTable('dsco_order_sync')
        .set({ attention: kind, attention_at: now, attention_detail: detail, updated_at: now })
        .where('po_number', '=', po)
        .where('status', '=', expectedStatus)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async markLingxingCancelled(po, at) {
      const result = await db
        .updateTable('dsco_order_sync')
        .set({ lingxing_cancelled_at: at, updated_at: now })
        .where('po_number', '=', po)
        .where('status', '=', 6)
        .where('lingxing_cancelled_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listLingxingCancellable({ limit, poNumber, now: at }) {
      assertLimit(limit);
      let q = orders()
        .where('status', '=', 6)
        .where('lingxing_order_nos', 'is not', null)
        .where('lingxing_order_nos', '<>', '')
        .where('lingxing_cancelled_at', 'is', null)
        .where((eb) => eb.or([eb('attention', 'is', null), eb('attention', '<>', 'cancelled_after_shipped')]));
      if (poNumber !== undefined) q = q.where('po_number', '=', poNumber);
      else q = q.where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]));
      return q.orderBy('dsco_create_time').orderBy('po_number').limit(limit).execute();
    },

    async transition(po, from, to, patch) {
      assertForwardTransition(from, to);
      const result = await db
        .updateTable('dsco_order_sync')
        .set({ ...pickOrderPatch(patch), ...RESET_RETRY, status: to, updated_at: now })
        .where('po_number', '=', po)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async transitionMany(pos, from, to) {
      assertForwardTransition(from, to);
      if (pos.length === 0) return [];
      // Lock in po_number order (as upsertPulled does) so overlapping batches cannot deadlock.
      const locked = db
        .selectFrom('dsco_order_sync')
        .select('po_number')
        .where(sql<boolean>`po_number = ANY(${[...pos]}::text[])`)
        .where('status', '=', from)
        .orderBy('po_number')
        .forUpdate();
      const moved = await db
        .updateTable('dsco_order_sync')
        .set({ ...RESET_RETRY, status: to, updated_at: now })
        .where('po_number', 'in', locked)
        .where('status', '=', from)
        .returning('po_number')
        .execute();
      return moved.map((r) => r.po_number);
    },

    async transitionEach(items, from, to) {
      assertForwardTransition(from, to);
      if (items.length === 0) return [];
      const picked = items.map((i) => pickOrderPatch(i.patch));
      const column = (field: PatchableOrderField) => picked.map((p) => p[field] ?? null);
      // Locks in po_number order, like transitionMany, so overlapping batches cannot deadlock.
      const { rows } = await sql<{ po_number: string }>`
        WITH v AS (
          SELECT * FROM unnest(
            ${items.map((i) => i.po)}::text[],
            ${column('lingxing_order_nos')}::text[],
            ${column('shipped_tracking_no')}::text[],
            ${column('dsco_invoice_id')}::text[],
            ${column('ship_facts')}::text[]
          ) AS v(po, lingxing_order_nos, shipped_tracking_no, dsco_invoice_id, ship_facts)
        ), locked AS (
          SELECT t.po_number FROM dsco_order_sync t JOIN v ON v.po = t.po_number
          WHERE t.status = ${from} ORDER BY t.po_number FOR UPDATE OF t
        )
        UPDATE dsco_order_sync t SET
          status = ${to},
          updated_at = now(),
          attempts = 0, next_attempt_at = NULL, last_error = NULL, last_error_at = NULL,
          lingxing_order_nos = COALESCE(v.lingxing_order_nos, t.lingxing_order_nos),
          shipped_tracking_no = COALESCE(v.shipped_tracking_no, t.shipped_tracking_no),
          dsco_invoice_id = COALESCE(v.dsco_invoice_id, t.dsco_invoice_id),
          ship_facts = COALESCE(v.ship_facts::jsonb, t.ship_facts)
        FROM v
        WHERE t.po_number = v.po AND t.status = ${from} AND t.po_number IN (SELECT po_number FROM locked)
        RETURNING t.po_number`.execute(db);
      return rows.map((r) => r.po_number);
    },

    async patch(po, expectedStatus, patch) {
      const fields = pickOrderPatch(patch);
      if (Object.keys(fields).length === 0) throw new InvalidPatchError('empty order patch');
      const result = await db
        .updateTable('dsco_order_sync')
        .set({ ...fields, updated_at: now })
        .where('po_number', '=', po)
        .where('status', '=', expectedStatus)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async maxCreateTime() {
      const row = await db
        .selectFrom('dsco_order_sync')
        .select((eb) => eb.fn.max('dsco_create_time').as('max'))
        .executeTakeFirst();
      return row?.max ?? undefined;
    },

    getByPo: (po) => orders().where('po_number', '=', po).executeTakeFirst(),

    async getByPos(pos) {
      if (pos.length === 0) return [];
      return orders()
        .where(sql<boolean>`po_number = ANY(${[...pos]}::text[])`)
        .orderBy('po_number')
        .execute();
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('dsco_order_sync')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },

    async countAtStatus(status, upTo, { updatedBefore } = {}) {
      assertLimit(upTo);
      const older = updatedBefore === undefined ? sql`` : sql` AND updated_at < ${updatedBefore}`;
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM (SELECT 1 FROM dsco_order_sync WHERE status = ${status}${older} LIMIT ${upTo}) AS s`.execute(db);
      return rows[0]?.n ?? 0;
    },

    async search({ status, poPrefix, after, limit, order = 'desc' }) {
      assertLimit(limit);
      let q = orders();
      if (status !== undefined) q = q.where('status', '=', status);
      if (poPrefix) q = q.where('po_number', 'like', `${escapeLike(poPrefix)}%`);
      return keysetPage(q, { after, limit, order });
    },

    async listStuck({ olderThan, statuses = [1, 2, 3, 4], limit = 1000 }) {
      assertLimit(limit);
      if (statuses.length === 0) return [];
      return orders()
        .where('status', 'in', statuses)
        .where('updated_at', '<', olderThan)
        .orderBy('updated_at')
        .orderBy('po_number')
        .limit(limit)
        .execute();
    },
  };
}
