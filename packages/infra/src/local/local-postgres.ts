import { join } from 'node:path';
import type { InfraLog } from '../types.js';
import type { LocalBinaries } from './find-binaries.js';
import { runCommand, runCommandSync, type RunAs } from './run-command.js';
import { logTail, startOnFreePort, type LocalServer } from './server.js';

export interface LocalPostgresOptions {
  binaries: Pick<LocalBinaries, 'initdb' | 'pgCtl'>;
  /** Private directory owned by `runAs.user`; holds the cluster, its log and its socket. */
  dir: string;
  runAs: RunAs;
  log: InfraLog;
}

/**
 * A throwaway cluster: trust auth for `postgres`, TCP on 127.0.0.1 only, socket in `dir` (never
 * the system's /var/run/postgresql), and durability off because the data dies with the run.
 */
export async function startLocalPostgres({ binaries, dir, runAs, log }: LocalPostgresOptions): Promise<LocalServer> {
  const dataDir = join(dir, 'pgdata');
  const logFile = join(dir, 'postgres.log');
  await runCommand(runAs, binaries.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);

  const pgCtl = (args: string[]) => runCommand(runAs, binaries.pgCtl, ['-D', dataDir, ...args]);
  const serverOptions = (port: number) =>
    [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-k '${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      // Every jest worker and demo process keeps its own pool.
      '-c max_connections=200',
    ].join(' ');
  const startOrRestart = async (action: 'start' | 'restart', port: number) => {
    try {
      await pgCtl(['-l', logFile, '-w', '-t', '60', '-m', 'fast', '-o', serverOptions(port), action]);
    } catch (err) {
      throw new Error(`postgres ${action} on port ${port} failed: ${(err as Error).message}\n${await logTail(logFile)}`);
    }
  };

  const port = await startOnFreePort((p) => startOrRestart('start', p).then(() => p));
  log(`postgres listening on 127.0.0.1:${port} (data in ${dataDir})`);
  return {
    port,
    restart: async () => {
      log('restarting postgres');
      await startOrRestart('restart', port);
    },
    stop: async () => {
      // "fast" disconnects clients instead of waiting for them; a stopped cluster is fine.
      await pgCtl(['-w', '-t', '30', '-m', 'fast', 'stop']).catch((err: Error) => {
        if (!/PID file .* does not exist|Is server running\?/.test(err.message)) throw err;
      });
    },
    kill: () => runCommandSync(runAs, binaries.pgCtl, ['-D', dataDir, '-w', '-m', 'immediate', 'stop']),
  };
}
