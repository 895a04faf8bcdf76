import { sql, type Kysely } from 'kysely';
import type { Database, NewWarehouseSyncRow, WarehouseSyncRow } from './database.js';
import { chunk } from './chunk.js';
import { latestRunRows, listInventoryDiff, type InventoryDiffPage, type InventoryDiffQuery } from './inventory-diff.js';

export interface WarehouseSyncRun {
  run_id: string;
  /** Latest synced_at of the run's rows. */
  synced_at: Date;
  /** Rows recorded. */
  rows: number;
  /** Rows sent to DSCO (false for dry runs and failed chunks). */
  pushed: number;
  /** Distinct Lingxing warehouses. */
  warehouses: number;
}

export interface WarehouseSyncRepositoryOptions {
  /** Rows per INSERT (9 parameters each; 65535 is the protocol limit). (Default: 1000) */
  insertBatchSize?: number;
}

export interface WarehouseSyncRepository {
  /**
   * Records sync_stock rows. All batches share one transaction, so a run is recorded entirely or
   * not at all and rows without synced_at get the same now(). Returns the number of rows written.
   */
  insertMany(rows: readonly NewWarehouseSyncRow[]): Promise<number>;
  /** A run's rows in insertion order. */
  listByRun(runId: string): Promise<WarehouseSyncRow[]>;
  /** Newest runs first. */
  listRuns(options: { limit: number }): Promise<WarehouseSyncRun[]>;
  /** One keyset page of a day's rows (the inventory API's diff). */
  listDiff(query: InventoryDiffQuery): Promise<InventoryDiffPage>;
  /** The newest run's rows, or undefined when no run was recorded. */
  latestRun(): Promise<{ runId: string; rows: WarehouseSyncRow[] } | undefined>;
}

export function makeWarehouseSyncRepository(
  db: Kysely<Database>,
  options: WarehouseSyncRepositoryOptions = {},
): WarehouseSyncRepository {
  const batchSize = options.insertBatchSize ?? 1000;
  return {
    async insertMany(rows) {
      if (rows.length === 0) return 0;
      const batches = chunk(rows, batchSize);
      return db.transaction().execute(async (trx) => {
        let written = 0;
        for (const batch of batches) {
          const result = await trx.insertInto('dsco_warehouse_sync').values(batch).executeTakeFirst();
          written += Number(result.numInsertedOrUpdatedRows ?? 0n);
        }
        return written;
      });
    },

    listByRun: (runId) =>
      db.selectFrom('dsco_warehouse_sync').selectAll().where('run_id', '=', runId).orderBy('id').execute(),

    async listRuns({ limit }) {
      if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
      const rows = await db
        .selectFrom('dsco_warehouse_sync')
        .select((eb) => [
          'run_id',
          eb.fn.max('synced_at').as('synced_at'),
          sql<number>`count(*)::int`.as('rows'),
          sql<number>`count(*) FILTER (WHERE pushed)::int`.as('pushed'),
          sql<number>`count(DISTINCT wid)::int`.as('warehouses'),
        ])
        .groupBy('run_id')
        .orderBy('synced_at', 'desc')
        .orderBy('run_id', 'desc')
        .limit(limit)
        .execute();
      return rows;
    },

    listDiff: (query) => listInventoryDiff(db, query),
    latestRun: () => latestRunRows(db),
  };
}
