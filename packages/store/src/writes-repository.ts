import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, JsonValue, WriteRow, WriteState } from './database.js';

/** A remote write about to be sent; recorded before the call (state `sending`). */
export interface NewWrite {
  /** e.g. `acknowledge`, `shipment`, `invoice`, `inventory`, `lingxing_cancel`. */
  kind: string;
  poNumbers?: readonly string[];
  skus?: readonly string[];
  /** The request body exactly as sent; its hash identifies a repeat of the same write. */
  body: JsonValue;
  /** 1 for the first send of this content, n for the n-th. (Default: 1) */
  attempt?: number;
}

/** What became of a write: accepted (`pending`), settled (`success` / `failure`), or unknown (`in_doubt`). */
export interface WriteOutcome {
  state: Exclude<WriteState, 'sending'>;
  requestId?: string;
  results?: JsonValue;
  error?: string;
}

/** States after which nothing more can happen to a write. */
const FINAL_STATES: readonly WriteState[] = ['success', 'failure'];
/** States whose effect is still unknown: a task must not send the same content again. */
export const OPEN_WRITE_STATES: readonly WriteState[] = ['sending', 'pending', 'in_doubt'];

export interface ListOpenWritesOptions {
  kind?: string;
  /** (Default: 1000) */
  limit?: number;
}

export interface WritesRepository {
  record(write: NewWrite): Promise<WriteRow>;
  /**
   * Moves a write on; false when it is already `success`/`failure` (final states never change).
   * A final state stamps settled_at.
   */
  settle(id: number, outcome: WriteOutcome): Promise<boolean>;
  /** Every write that carried `po`, newest first. */
  listByPo(po: string): Promise<WriteRow[]>;
  /** Writes still sending, pending or in doubt, oldest first. */
  listOpen(options?: ListOpenWritesOptions): Promise<WriteRow[]>;
}

/** sha256 of the body's JSON text: equal bodies, equal hashes. */
export function hashWriteBody(body: JsonValue): string {
  return hashOfJson(JSON.stringify(body));
}

const hashOfJson = (json: string): string => createHash('sha256').update(json).digest('hex');

const WRITE_COLUMNS_BUT_BODY = ['id', 'kind', 'po_numbers', 'skus', 'body_hash', 'sent_at', 'request_id', 'state', 'results', 'error', 'settled_at', 'attempt', 'log_resume'] as const;

export function makeWritesRepository(db: Kysely<Database>): WritesRepository {
  const writes = () => db.selectFrom('dsco_write').selectAll();
  return {
    async record({ kind, poNumbers = [], skus = [], body, attempt = 1 }) {
      if (!kind) throw new TypeError('write kind is required');
      const json = JSON.stringify(body);
      // The body is not read back: a batch of 1,000 shipments is about a megabyte of JSON for
      // Postgres to print and this process to parse again, and the caller holds it.
      const row = await db
        .insertInto('dsco_write')
        .values({ kind, po_numbers: [...poNumbers], skus: [...skus], body_hash: hashOfJson(json), body: json, attempt })
        .returning(WRITE_COLUMNS_BUT_BODY)
        .executeTakeFirstOrThrow();
      return { ...row, body };
    },

    async settle(id, { state, requestId, results, error }) {
      const final = FINAL_STATES.includes(state);
      const result = await db
        .updateTable('dsco_write')
        .set({
          state,
          ...(requestId !== undefined && { request_id: requestId }),
          ...(results !== undefined && { results: JSON.stringify(results) }),
          ...(error !== undefined && { error }),
          ...(final && { settled_at: sql<Date>`now()`, log_resume: null }),
        })
        .where('id', '=', id)
        .where('state', 'not in', FINAL_STATES)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    listByPo: (po) =>
      writes()
        .where(sql<boolean>`po_numbers @> ARRAY[${po}]::text[]`)
        .orderBy('sent_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    listOpen({ kind, limit = 1000 } = {}) {
      let q = writes().where('state', 'in', OPEN_WRITE_STATES);
      if (kind !== undefined) q = q.where('kind', '=', kind);
      return q.orderBy('sent_at').orderBy('id').limit(limit).execute();
    },
  };
}
