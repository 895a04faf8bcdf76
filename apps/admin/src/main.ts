#!/usr/bin/env node
import { ConfigError, exitOnConfigError, loadEnvConfig } from '@dlsync/config';
import { makeLogger } from '@dlsync/logger';
import { exitOnSignals } from '@dlsync/services';
import { hashPassword } from './auth/credentials.js';
import { startAdmin } from './start-admin.js';

const USAGE = `usage: dlsync-admin            serve the admin app (config: $DLSYNC_CONFIG or ./env.yaml)
       dlsync-admin hash-password   read a password on stdin, print its auth.admin.users value`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function serve(): Promise<void> {
  let env;
  try {
    env = loadEnvConfig();
  } catch (err) {
    exitOnConfigError(err);
  }
  const logger = makeLogger({ level: env.log.level, fields: { app: 'admin' } });
  let admin;
  try {
    admin = await startAdmin({ env, logger });
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      logger.error('admin failed to start', { error: (err as Error).message });
      process.exit(1);
    }
    exitOnConfigError(err);
  }
  logger.info('admin listening', { url: admin.url, pid: process.pid });
  process.stdout.write(`dlsync admin: ${admin.url}/\n`);

  exitOnSignals(() => admin.close(), logger);
}

const command = process.argv[2];
if (command === undefined) {
  await serve();
} else if (command === 'hash-password') {
  const password = await readStdin();
  if (password) {
    process.stdout.write(`${await hashPassword(password)}\n`);
  } else {
    process.stderr.write('empty password\n');
    process.exitCode = 2;
  }
} else if (command === '--help' || command === '-h') {
  process.stdout.write(`${USAGE}\n`);
} else {
  // exitCode, not exit(): pipes to stderr are asynchronous and exit() could cut the message.
  process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
  process.exitCode = 2;
}
