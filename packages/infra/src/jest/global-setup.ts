import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Only node builtins here: jest loads this file outside its module system, where workspace
// imports would resolve to unbuilt dist/ files. The real work happens in infra-host.ts.
const TEST_ENV = {
  adminUrl: 'DLSYNC_TEST_ADMIN_DATABASE_URL',
  template: 'DLSYNC_TEST_TEMPLATE_DATABASE',
  redisUrl: 'DLSYNC_TEST_REDIS_URL',
};

declare global {
  var __dlsyncInfraHost: ChildProcess | undefined;
}

const HOST = fileURLToPath(new URL('./infra-host.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Starts infra once per jest run (in a child process) and publishes its URLs to every worker. */
export default async function globalSetup(): Promise<void> {
  // Suites that provision their own services (the chaos suite restarts them) opt out.
  if (process.env.DLSYNC_TEST_INFRA === 'none') return;
  const child = spawn(process.execPath, ['--conditions=dlsync-source', '--import', 'tsx', HOST], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  globalThis.__dlsyncInfraHost = child;
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`test infra exited with code ${code} before it was ready`)));
  });
  const info = JSON.parse(line) as { databaseUrl: string; redisUrl: string; template: string };
  process.env[TEST_ENV.adminUrl] = info.databaseUrl;
  process.env[TEST_ENV.template] = info.template;
  process.env[TEST_ENV.redisUrl] = info.redisUrl;
}
