import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startInfra, type Infra } from '@dlsync/infra';

/** Whether a TCP connect to 127.0.0.1:`port` succeeds. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const portOf = (url: string) => Number(new URL(url).port);

describe('local-binary provider', () => {
  let infra: Infra;
  const logs: string[] = [];

  beforeAll(async () => {
    // Only PATH from the real environment: DATABASE_URL/REDIS_URL must not short-circuit this.
    infra = await startInfra({ providers: ['local'], env: { PATH: process.env.PATH }, log: (m) => logs.push(m) });
  }, 60_000);

  afterAll(async () => {
    await infra.stop();
  }, 30_000);

  it('starts a Postgres that accepts queries and a Redis that answers PING', async () => {
    expect(infra.provider).toBe('local');
    expect(infra.databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const [row] = await query<{ answer: number }>(infra.databaseUrl, 'SELECT 6 * 7 AS answer');
    expect(row?.answer).toBe(42);

    const redis = new Redis(infra.redisUrl);
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
    expect(logs).toContain('using local provider');
  });

  it('restarts Postgres on the same port, keeping its data and dropping open sessions', async () => {
    await query(infra.databaseUrl, 'CREATE TABLE survives_restart (v int); INSERT INTO survives_restart VALUES (7)');
    const open = new pg.Client({ connectionString: infra.databaseUrl });
    await open.connect();
    // pg reports the server's "terminating connection" and then the dropped socket.
    const errors: Error[] = [];
    open.on('error', (err) => errors.push(err));
    const lost = new Promise<void>((resolve) => open.once('error', () => resolve()));

    await infra.restartPostgres!();

    await lost;
    expect(errors[0]?.message).toMatch(/terminat/i);
    await open.end().catch(() => undefined);
    const rows = await query<{ v: number }>(infra.databaseUrl, 'SELECT v FROM survives_restart');
    expect(rows).toEqual([{ v: 7 }]);
  }, 30_000);

  it('restarts Redis on the same port, keeping its keys', async () => {
    const before = new Redis(infra.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await before.connect();
    await before.set('infra-test:key', 'kept');
    const closed = new Promise<void>((resolve) => before.once('end', () => resolve()));

    await infra.restartRedis!();

    await closed;
    const after = new Redis(infra.redisUrl);
    try {
      expect(await after.get('infra-test:key')).toBe('kept');
    } finally {
      after.disconnect();
    }
  }, 30_000);

  it('stop() closes both ports and removes the temp dir; a second stop() is a no-op', async () => {
    const [{ data_directory: dataDir } = { data_directory: '' }] = await query<{ data_directory: string }>(
      infra.databaseUrl,
      'SHOW data_directory',
    );
    const tempDir = dirname(dataDir);
    expect(tempDir).toMatch(/dlsync-infra-/);
    expect(existsSync(tempDir)).toBe(true);

    await infra.stop();
    await infra.stop();

    expect(await accepts(portOf(infra.databaseUrl))).toBe(false);
    expect(await accepts(portOf(infra.redisUrl))).toBe(false);
    expect(existsSync(tempDir)).toBe(false);
  }, 30_000);
});
