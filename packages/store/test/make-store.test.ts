import pg from 'pg';
import { sql } from 'kysely';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeStore } from '../src/index.js';

const env = useTestEnv();

describe('makeStore', () => {
  it('configures the pool and parses int8 as number for this pool only', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2, applicationName: 'dlsync-store-test' });
    try {
      const { rows } = await sql<{ big: number; app: string }>`
        SELECT 9007199254740991::int8 AS big, current_setting('application_name') AS app`.execute(store.db);
      expect(rows).toEqual([{ big: Number.MAX_SAFE_INTEGER, app: 'dlsync-store-test' }]);
      expect(store.pool.options.max).toBe(2);
      expect(store.pool.options.idleTimeoutMillis).toBe(30_000);

      // A dedicated connection (as the runner takes for its advisory lock) shares the parsing.
      const lockClient = await store.pool.connect();
      try {
        expect((await lockClient.query<{ n: unknown }>('SELECT 42::int8 AS n')).rows[0]?.n).toBe(42);
      } finally {
        lockClient.release();
      }

      const plain = new pg.Client({ connectionString: env.databaseUrl });
      await plain.connect();
      expect((await plain.query<{ n: unknown }>('SELECT 42::int8 AS n')).rows[0]?.n).toBe('42');
      await plain.end();
    } finally {
      await store.close();
    }
  });

  it('close() ends the pool and may be called twice', async () => {
    const store = makeStore({ databaseUrl: env.databaseUrl });
    await sql`SELECT 1`.execute(store.db);
    await Promise.all([store.close(), store.close()]);
    expect(store.pool.ended).toBe(true);
  });
});
