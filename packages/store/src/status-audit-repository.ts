import { sql, type Kysely } from 'kysely';
import { isOrderStatus, type Database, type OrderStatus } from './database.js';
import { StoreError } from './errors.js';

/** One audited manual status change. */
export interface StatusAuditRow {
  id: number;
  po_number: string;
  from_status: OrderStatus;
  to_status: OrderStatus;
  reason: string;
  actor: string;
  at: Date;
}

export interface ManualStatusChange {
  po: string;
  /** The status the operator saw; the change applies only if the row is still there. */
  from: OrderStatus;
  to: OrderStatus;
  /** Why; kept with the change and shown in the order's history. */
  reason: string;
  /** Who: e.g. `admin:alice`, `cli:bob`. */
  actor: string;
}

export type ManualStatusResult =
  | { changed: true; audit: StatusAuditRow }
  /** The row is not at `from` any more (`current` is where it is), or does not exist (null). */
  | { changed: false; current: OrderStatus | null };

/** A manual change the rules refuse whatever the row's state: no reason, no move, bad status. */
export class InvalidManualStatusError extends StoreError {
  override name = 'InvalidManualStatusError';
}

/** Longest reason kept. */
export const MAX_AUDIT_REASON = 1000;

/**
 * Checks a manual change before touching the database. Operators may move an order to any of
 * 1..5 (backwards too: e.g. back to 1 to push again); 6 is DSCO's cancellation and only pull
 * sets it, so a manual change never targets it.
 * @throws InvalidManualStatusError
 */
export function assertManualStatusChange(change: ManualStatusChange): void {
  if (!isOrderStatus(change.from) || !isOrderStatus(change.to)) throw new InvalidManualStatusError('statuses are 1..6');
  if (change.to === 6) throw new InvalidManualStatusError('status 6 (cancelled) is set only by pull, from DSCO');
  if (change.to === change.from) throw new InvalidManualStatusError(`the order is already at ${change.from}`);
  const reason = change.reason.trim();
  if (reason.length === 0) throw new InvalidManualStatusError('a reason is required');
  if (reason.length > MAX_AUDIT_REASON) throw new InvalidManualStatusError(`the reason must be at most ${MAX_AUDIT_REASON} characters`);
  if (change.actor.trim().length === 0) throw new InvalidManualStatusError('an actor is required');
}

export interface StatusAuditRepository {
  /**
   * Guarded manual move `from → to` and its audit row in one transaction: both happen or
   * neither does. A row that moved meanwhile is left alone and reported with where it is now.
   * @throws InvalidManualStatusError
   */
  changeStatus(change: ManualStatusChange): Promise<ManualStatusResult>;
  /** A PO's audited changes, oldest first. */
  listForPo(po: string): Promise<StatusAuditRow[]>;
}

export function makeStatusAuditRepository(db: Kysely<Database>): StatusAuditRepository {
  return {
    async changeStatus(change) {
      assertManualStatusChange(change);
      return db.transaction().execute(async (trx) => {
        const moved = await sql<{ po_number: string }>`
          UPDATE dsco_order_sync SET status = ${change.to}, updated_at = now()
          WHERE po_number = ${change.po} AND status = ${change.from}
          RETURNING po_number`.execute(trx);
        if (moved.rows.length === 0) {
          const { rows } = await sql<{ status: OrderStatus }>`SELECT status FROM dsco_order_sync WHERE po_number = ${change.po}`.execute(trx);
          return { changed: false as const, current: rows[0]?.status ?? null };
        }
        const { rows } = await sql<StatusAuditRow>`
          INSERT INTO order_status_audit (po_number, from_status, to_status, reason, actor)
          VALUES (${change.po}, ${change.from}, ${change.to}, ${change.reason.trim()}, ${change.actor})
          RETURNING *`.execute(trx);
        return { changed: true as const, audit: rows[0]! };
      });
    },

    async listForPo(po) {
      const { rows } = await sql<StatusAuditRow>`
        SELECT * FROM order_status_audit WHERE po_number = ${po} ORDER BY at, id`.execute(db);
      return rows;
    },
  };
}
