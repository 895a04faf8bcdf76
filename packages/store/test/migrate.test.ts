import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '@dlsync/infra';
import { useTestEnv } from '@dlsync/infra/testing';
import { migrate, MIGRATIONS_DIR } from '../src/index.js';

const env = useTestEnv();

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server; dropped by the returned function. */
async function makeEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `dlsync_mig_${randomBytes(5).toString('hex')}`;
  await query(env.databaseUrl, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(env.databaseUrl, name),
    drop: async () => void (await query(env.databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withMigrationsDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dlsync-migrations-'));
  try {
    for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const appliedNames = async (url: string) =>
  (await query<{ name: string }>(url, 'SELECT name FROM dlsync_migrations ORDER BY name')).map((r) => r.name);

describe('migrate', () => {
  it('is a no-op on an already migrated database', async () => {
    const shipped = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const log: string[] = [];

    const result = await migrate(env.databaseUrl, { log: (m) => log.push(m) });

    expect(result).toEqual({ applied: [], skipped: shipped });
    expect(log).toEqual([]);
    expect(await appliedNames(env.databaseUrl)).toEqual(shipped);
  });

  it('applies files in name order once, ignoring files that are not NNNN_name.sql', async () => {
    const db = await makeEmptyDatabase();
    try {
      await withMigrationsDir(
        {
          '0010_c.sql': 'INSERT INTO steps VALUES (10);',
          '0001_a.sql': 'CREATE TABLE steps (n int);',
          '0002_b.sql': 'INSERT INTO steps VALUES (2);',
          'README.md': 'not a migration',
          'draft.sql': 'DROP TABLE steps;',
        },
        async (dir) => {
          const log: string[] = [];
          expect(await migrate(db.url, { dir, log: (m) => log.push(m) })).toEqual({
            applied: ['0001_a.sql', '0002_b.sql', '0010_c.sql'],
            skipped: [],
          });
          expect(log).toEqual(['applied 0001_a.sql', 'applied 0002_b.sql', 'applied 0010_c.sql']);
          expect(await migrate(db.url, { dir })).toEqual({ applied: [], skipped: ['0001_a.sql', '0002_b.sql', '0010_c.sql'] });
          expect(await query<{ n: number }>(db.url, 'SELECT n FROM steps ORDER BY n')).toEqual([{ n: 2 }, { n: 10 }]);
        },
      );
    } finally {
      await db.drop();
    }
  });

  it('rolls a failing migration back, keeps earlier ones, and can resume after the fix', async () => {
    const db = await makeEmptyDatabase();
    try {
      await withMigrationsDir(
        {
          '0001_ok.sql': 'CREATE TABLE t1 (n int);',
          '0002_bad.sql': 'CREATE TABLE t2 (n int); SELECT * FROM missing_table;',
        },
        async (dir) => {
          await expect(migrate(db.url, { dir })).rejects.toThrow(/migration 0002_bad\.sql failed: .*missing_table/);
          expect(await appliedNames(db.url)).toEqual(['0001_ok.sql']);
          expect(await query(db.url, `SELECT to_regclass('t2') AS t`)).toEqual([{ t: null }]);

          await writeFile(path.join(dir, '0002_bad.sql'), 'CREATE TABLE t2 (n int);');
          // The failed run released its advisory lock, so this does not hang.
          expect(await migrate(db.url, { dir })).toEqual({ applied: ['0002_bad.sql'], skipped: ['0001_ok.sql'] });
        },
      );
    } finally {
      await db.drop();
    }
  });

  it('lets concurrent callers on a fresh database both succeed, applying each migration once', async () => {
    const db = await makeEmptyDatabase();
    try {
      const [a, b, c] = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
      const shipped = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();

      // The lock serializes them: the first applies everything, the others find it done.
      const appliedBy = [a, b, c].filter((r) => r.applied.length > 0);
      expect(appliedBy).toEqual([{ applied: shipped, skipped: [] }]);
      for (const r of [a, b, c].filter((r) => r.applied.length === 0)) expect(r).toEqual({ applied: [], skipped: shipped });
      expect(await appliedNames(db.url)).toEqual(shipped);
      expect(await query(db.url, 'SELECT count(*)::int AS n FROM dsco_order_sync')).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });
});
