import { rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Infra, InfraLog } from '../types.js';
import { onProcessExit } from './exit-cleanup.js';
import type { LocalBinaries } from './find-binaries.js';
import { startLocalPostgres } from './local-postgres.js';
import { startLocalRedis } from './local-redis.js';
import { userIds, type RunAs } from './run-command.js';
import type { LocalServer } from './server.js';

/** The account Postgres runs as when we are root (Postgres refuses to run as root). */
const POSTGRES_USER = 'postgres';

async function runAsFor(dir: string): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = await userIds(POSTGRES_USER).catch(() => {
    throw new Error(`running as root, Postgres must run as the "${POSTGRES_USER}" user, which does not exist`);
  });
  await chown(dir, ids.uid, ids.gid);
  return { user: POSTGRES_USER };
}

/**
 * Postgres + Redis from locally installed binaries, in a fresh temp dir on free ports.
 * stop() (or process exit) stops both and deletes the dir.
 */
export async function startLocalInfra(binaries: LocalBinaries, log: InfraLog): Promise<Infra> {
  const dir = await mkdtemp(join(tmpdir(), 'dlsync-infra-'));
  const servers: LocalServer[] = [];
  const unregister = onProcessExit(() => {
    for (const server of servers) server.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const stopAll = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
    unregister();
  };

  let postgres: LocalServer;
  let redis: LocalServer;
  try {
    const runAs = await runAsFor(dir);
    log(`starting local postgres and redis in ${dir}${runAs.user ? ` (postgres as user ${runAs.user})` : ''}`);
    const started = await Promise.allSettled([
      startLocalPostgres({ binaries, dir, runAs, log }),
      startLocalRedis({ redisServer: binaries.redisServer, dir, log }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    [postgres, redis] = servers as [LocalServer, LocalServer];
  } catch (err) {
    await stopAll();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    provider: 'local',
    databaseUrl: `postgres://postgres@127.0.0.1:${postgres.port}/postgres`,
    redisUrl: `redis://127.0.0.1:${redis.port}`,
    stop: () => {
      stopping ??= stopAll().then(() => log(`local postgres and redis stopped, ${dir} removed`));
      return stopping;
    },
    restartPostgres: () => postgres.restart(),
    restartRedis: () => redis.restart(),
  };
}
