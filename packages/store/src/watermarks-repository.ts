import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/** The watermark stream of pull_dsco_orders. */
export const DSCO_ORDERS_STREAM = 'dsco_orders';

export interface WatermarksRepository {
  /** The stream's `until`, undefined when no scheduled scan has completed yet. */
  get(stream: string): Promise<Date | undefined>;
  /**
   * Moves the stream's watermark to `until`, never backwards: a slow scan that finishes after a
   * newer one cannot drag it back. Returns the watermark now stored.
   */
  advance(stream: string, until: Date): Promise<Date>;
}

export function makeWatermarksRepository(db: Kysely<Database>): WatermarksRepository {
  return {
    async get(stream) {
      const row = await db.selectFrom('sync_watermark').select('until').where('stream', '=', stream).executeTakeFirst();
      return row?.until;
    },
    async advance(stream, until) {
      const row = await db
        .insertInto('sync_watermark')
        .values({ stream, until })
        .onConflict((oc) =>
          oc.column('stream').doUpdateSet({
            until: sql<Date>`GREATEST(sync_watermark.until, excluded.until)`,
            updated_at: sql<Date>`now()`,
          }),
        )
        .returning('until')
        .executeTakeFirstOrThrow();
      return row.until;
    },
  };
}
