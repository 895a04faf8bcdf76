import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraLog } from '../types.js';
import { redisCommand } from './redis-command.js';
import { delay, logTail, startOnFreePort, type LocalServer } from './server.js';

export interface LocalRedisOptions {
  redisServer: string;
  /** Private directory; Redis gets `redis/` inside it for its dump file, and a log beside. */
  dir: string;
  log: InfraLog;
  /** How long a start may take before it counts as failed. (Default: 15000) */
  readyTimeoutMs?: number;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    // A ref'd timer keeps the event loop alive while we wait on an unref'd child.
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * redis-server as a child process, persistence off (the data is throwaway). The child is
 * unref'd so a caller that forgets stop() still exits; the exit handler then kills it.
 */
export async function startLocalRedis({ redisServer, dir, log, readyTimeoutMs = 15_000 }: LocalRedisOptions): Promise<LocalServer> {
  const dataDir = join(dir, 'redis');
  const logFile = join(dir, 'redis.log');
  mkdirSync(dataDir, { recursive: true });
  let child: ChildProcess | undefined;

  const spawnOn = async (port: number): Promise<void> => {
    const out = openSync(logFile, 'a');
    try {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dataDir];
      child = spawn(redisServer, args, { stdio: ['ignore', out, out] });
      child.unref();
    } finally {
      closeSync(out);
    }
    const started = child;
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) break;
      if ((await redisCommand(port, ['PING']).catch(() => '')) === '+PONG') return;
      await delay(25);
    }
    started.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not start:\n${await logTail(logFile)}`);
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running) return;
    running.kill('SIGTERM');
    if (!(await waitForExit(running, 5_000))) running.kill('SIGKILL');
  };

  const port = await startOnFreePort((p) => spawnOn(p).then(() => p));
  log(`redis listening on 127.0.0.1:${port}`);
  return {
    port,
    restart: async () => {
      log('restarting redis');
      const running = child;
      // SHUTDOWN SAVE writes a dump even with saving disabled, so keys survive the restart the
      // way they would on a production Redis with persistence on.
      if (running && running.exitCode === null) {
        await redisCommand(port, ['SHUTDOWN', 'SAVE'], 10_000).catch(() => '');
        if (!(await waitForExit(running, 10_000))) running.kill('SIGKILL');
      }
      await spawnOn(port);
    },
    stop,
    kill: () => {
      child?.kill('SIGKILL');
    },
  };
}
