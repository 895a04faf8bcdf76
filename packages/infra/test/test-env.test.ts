import pg from 'pg';
import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';

const env = useTestEnv();

describe('useTestEnv', () => {
  it('gives this file a migrated database of its own', async () => {
    const c = new pg.Client({ connectionString: env.databaseUrl });
    await c.connect();
    const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM dsco_order_sync');
    const { rows: db } = await c.query<{ d: string }>('SELECT current_database() AS d');
    await c.end();
    expect(rows[0]?.n).toBe('0');
    expect(db[0]?.d).toMatch(/^dlsync_t_/);
  });

  it('gives this file a unique redis prefix', async () => {
    const r = new Redis(env.redisUrl);
    await r.set(`${env.redisPrefix}probe`, '1');
    expect(await r.get(`${env.redisPrefix}probe`)).toBe('1');
    r.disconnect();
    expect(env.redisPrefix).toMatch(/^dlsync-t-[0-9a-f]+:$/);
  });
});
