import type { Kysely } from 'kysely';
import type { Database, RuntimeConfigRow } from './database.js';
import { RuntimeConfigConflictError } from './errors.js';

/** One stored runtime_config version; `config` is unvalidated JSON (parse it with @dlsync/config). */
export type RuntimeConfigRecord = Pick<RuntimeConfigRow, 'version' | 'config' | 'updated_by' | 'updated_at'>;

export interface SaveRuntimeConfigOptions {
  /** The version the caller read and edited; null when it started from an empty table. */
  expectedVersion: number | null;
  /** Who made the change (admin user, `cli`, a task name). */
  updatedBy: string;
}

export interface RuntimeConfigRepository {
  /** The live (newest) version, undefined when none was ever saved. */
  latest(): Promise<RuntimeConfigRecord | undefined>;
  /**
   * Compare-and-set: stores `config` as version expectedVersion + 1 (or 1) and returns it.
   * @throws RuntimeConfigConflictError when expectedVersion is not the live version, including
   * when a concurrent save with the same expectedVersion won.
   */
  save(config: unknown, options: SaveRuntimeConfigOptions): Promise<number>;
  /** Newest first. */
  history(options: { limit: number }): Promise<RuntimeConfigRecord[]>;
  get(version: number): Promise<RuntimeConfigRecord | undefined>;
}

const RECORD_COLUMNS = ['version', 'config', 'updated_by', 'updated_at'] as const;
const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;

export function makeRuntimeConfigRepository(db: Kysely<Database>): RuntimeConfigRepository {
  const records = () => db.selectFrom('runtime_config').select(RECORD_COLUMNS);
  const latestVersion = async (): Promise<number | null> => {
    const row = await db
      .selectFrom('runtime_config')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return row?.v ?? null;
  };

  return {
    latest: () => records().orderBy('version', 'desc').limit(1).executeTakeFirst(),

    async save(config, { expectedVersion, updatedBy }) {
      if (expectedVersion !== null && (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1)) {
        throw new RangeError(`expectedVersion must be a positive integer or null, got ${expectedVersion}`);
      }
      const json = JSON.stringify(config);
      if (json === undefined) throw new TypeError('runtime config is not JSON-serializable');
      const version = (expectedVersion ?? 0) + 1;
      // The INSERT only happens if expectedVersion is live at statement start; two savers that
      // both pass that check collide on the unique version, and the loser gets 23505.
      try {
        const inserted = await db
          .insertInto('runtime_config')
          .columns(['version', 'config', 'updated_by'])
          .expression(
            db
              .selectNoFrom((eb) => [
                eb.cast<number>(eb.val(version), 'integer').as('version'),
                eb.cast<string>(eb.val(json), 'jsonb').as('config'),
                eb.val(updatedBy).as('updated_by'),
              ])
              .where(
                (eb) => eb.selectFrom('runtime_config').select((m) => m.fn.max('version').as('v')),
                'is not distinct from',
                expectedVersion,
              ),
          )
          .returning('version')
          .executeTakeFirst();
        if (inserted) return inserted.version;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      throw new RuntimeConfigConflictError(expectedVersion, await latestVersion());
    },

    async history({ limit }) {
      if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
      return records().orderBy('version', 'desc').limit(limit).execute();
    },

    get: (version) => records().where('version', '=', version).executeTakeFirst(),
  };
}
