import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTestEnv } from '@dlsync/infra/testing';
import { ALICE, ALICE_HASH, httpRequest } from './admin-fixture.js';

const testEnv = useTestEnv();
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let emptyConfig: string;

beforeAll(async () => {
  emptyConfig = join(await mkdtemp(join(tmpdir(), 'dlsync-admin-main-')), 'env.yaml');
  await writeFile(emptyConfig, '# all settings come from DLSYNC__ variables\n');
});
afterAll(() => rm(dirname(emptyConfig), { recursive: true, force: true }));

function startMain(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--conditions=dlsync-source', '--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    // An empty env.yaml plus DLSYNC__ overrides: nothing from the developer's checkout or shell.
    env: { PATH: process.env.PATH ?? '', DLSYNC_CONFIG: emptyConfig, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

const baseEnv = () => ({
  DLSYNC__POSTGRES__URL: testEnv.databaseUrl,
  DLSYNC__REDIS__URL: testEnv.redisUrl,
  DLSYNC__REDIS__PREFIX: testEnv.redisPrefix.replace(/:$/, ''),
  DLSYNC__ADMIN__PORT: '0',
});

describe('admin main', () => {
  it('listens, prints its URL, serves behind auth and exits 0 on SIGTERM', async () => {
    const proc = startMain({ ...baseEnv(), DLSYNC__AUTH__ADMIN__USERS: JSON.stringify({ alice: ALICE_HASH }) });
    const deadline = Date.now() + 20_000;
    while (!/dlsync admin: (http:\S+)\//.test(proc.out()) && Date.now() < deadline) {
      if (proc.child.exitCode !== null) throw new Error(`admin exited: ${proc.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /dlsync admin: (http:\S+)\//.exec(proc.out())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpRequest(url!, '/healthz')).status).toBe(200);
    expect((await httpRequest(url!, '/readyz')).status).toBe(401);
    expect((await httpRequest(url!, '/readyz', { headers: ALICE })).json()).toEqual({ ok: true, postgres: 'ok', redis: 'ok' });

    proc.child.kill('SIGTERM');
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(0);
    expect(proc.err()).toBe('');
  }, 30_000);

  it('refuses to start without admin users, naming the key', async () => {
    const proc = startMain(baseEnv());
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(1);
    expect(proc.err()).toContain('auth.admin.users: at least one user is required');
  }, 20_000);

  it('hash-password prints a hash that the server accepts for that password', async () => {
    const proc = startMain({}, ['hash-password']);
    proc.child.stdin.end('pa55 word\n');
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(0);
    const { parseStoredCredential, verifyPassword } = await import('../src/index.js');
    const stored = parseStoredCredential('x', proc.out().trim());
    expect(await verifyPassword(stored, 'pa55 word')).toBe(true);
  }, 20_000);
});
