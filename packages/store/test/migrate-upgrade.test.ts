import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '@dlsync/infra';
import { useTestEnv } from '@dlsync/infra/testing';
import { migrate, MIGRATIONS_DIR } from '../src/index.js';

const env = useTestEnv();

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('migration 0002 on an existing database', () => {
  const name = `dlsync_up_${randomBytes(5).toString('hex')}`;
  let url: string;
  let onlyFirst: string;

  beforeAll(async () => {
    url = withDatabase(env.databaseUrl, name);
    await withClient(env.databaseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    onlyFirst = await mkdtemp(path.join(tmpdir(), 'dlsync-0001-'));
    await copyFile(path.join(MIGRATIONS_DIR, '0001_init.sql'), path.join(onlyFirst, '0001_init.sql'));
  });
  afterAll(async () => {
    await rm(onlyFirst, { recursive: true, force: true });
    await withClient(env.databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('keeps every row, adds the operations columns and seeds the watermark from the newest stored order', async () => {
    await migrate(url, { dir: onlyFirst });
    await withClient(url, (c) =>
      c.query(`INSERT INTO dsco_order_sync (po_number, dsco_create_time, status, lingxing_order_nos)
               VALUES ('OLD-1', 1767225600, 2, '123456789012345678'), ('OLD-2', 1767229200, 1, NULL)`),
    );

    expect((await migrate(url)).applied).toContain('0002_operations.sql');

    const rows = await withClient(url, async (c) =>
      (await c.query('SELECT po_number, status, lingxing_order_nos, attempts, next_attempt_at, attention FROM dsco_order_sync ORDER BY po_number')).rows,
    );
    expect(rows).toEqual([
      { po_number: 'OLD-1', status: 2, lingxing_order_nos: '123456789012345678', attempts: 0, next_attempt_at: null, attention: null },
      { po_number: 'OLD-2', status: 1, lingxing_order_nos: null, attempts: 0, next_attempt_at: null, attention: null },
    ]);
    const marks = await withClient(url, async (c) => (await c.query('SELECT stream, until FROM sync_watermark')).rows);
    expect(marks).toEqual([{ stream: 'dsco_orders', until: new Date(1767229200 * 1000) }]);
  });

  it('seeds no watermark for an empty table (the pull starts from the epoch)', async () => {
    const emptyName = `${name}_e`;
    const emptyUrl = withDatabase(env.databaseUrl, emptyName);
    await withClient(env.databaseUrl, (c) => c.query(`CREATE DATABASE ${emptyName}`));
    try {
      await migrate(emptyUrl);
      const marks = await withClient(emptyUrl, async (c) => (await c.query('SELECT * FROM sync_watermark')).rows);
      expect(marks).toEqual([]);
    } finally {
      await withClient(env.databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${emptyName} WITH (FORCE)`));
    }
  });
});
