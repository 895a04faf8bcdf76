/**
 * Runs in its own process for the whole jest run (spawned by global-setup): starts infra, builds
 * the migrated template database, prints one JSON line, then keeps everything up until stdin
 * closes or a signal arrives. Owning infra in a child means a crashed jest run still cleans up.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '@dlsync/store';
import { startInfra } from '../start-infra.js';
import { withDatabase } from '../database-url.js';
import { testDatabasePrefix } from '../test-env-names.js';

const infra = await startInfra({ log: (m) => process.stderr.write(`[infra] ${m}\n`) });
const template = `dlsync_tpl_${randomBytes(5).toString('hex')}`;

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Test databases a file could not drop while its connections were still closing. */
async function dropLeftovers(): Promise<void> {
  const admin = new pg.Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      testDatabasePrefix(template),
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await dropLeftovers().catch(() => undefined);
  await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  await infra.stop();
  process.exit(0);
}

try {
  await adminQuery(`CREATE DATABASE ${template}`);
  await migrate(withDatabase(infra.databaseUrl, template));
} catch (err) {
  process.stderr.write(`[infra] template database failed: ${(err as Error).message}\n`);
  await infra.stop();
  process.exit(1);
}

process.stdout.write(
  `${JSON.stringify({ databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl, template, provider: infra.provider })}\n`,
);
process.stdin.on('end', () => void shutdown());
process.stdin.on('close', () => void shutdown());
process.stdin.resume();
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
