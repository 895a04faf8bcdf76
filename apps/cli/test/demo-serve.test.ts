import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestEnv } from '@dlsync/infra/testing';
import { startApp } from '../src/processes/app-process.js';
import { writeEmptyEnvFile } from '../src/processes/fleet-env.js';
import { spawnCli } from './helpers.js';

const env = useTestEnv();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-demo-serve-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The caller's environment without DLSYNC settings, plus `extra`. */
const cleanEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DLSYNC'))),
  ...extra,
});

describe('dlsync demo --serve', () => {
  it('tells another terminal how to reach it, and SIGINT stops the fleet before the infra, quietly', async () => {
    const demo = startApp('cli', {
      name: 'demo',
      args: ['demo', '--serve', '--orders', '6', '--workers', '1', '--timeout', '20', '--connection-dir', dir],
      env: cleanEnv({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl }),
    });
    try {
      await demo.waitForLine((l) => l.text === 'Ctrl-C stops everything.', 120_000);
      const yamlFile = join(dir, 'demo.yaml');
      expect(demo.lines.some((l) => l.text.includes(`DLSYNC_CONFIG=${yamlFile} npm run dlsync -- orders list`))).toBe(true);

      const listed = await spawnCli(['orders', 'list'], cleanEnv({ DLSYNC_CONFIG: yamlFile }));
      expect(listed.code).toBe(0);
      const rows = listed.stdout.trim().split('\n');
      expect(rows[0]).toMatch(/^PO\s+STATUS/);
      expect(rows.length).toBeGreaterThan(1);

      // Through the shell file too: the variables alone point the CLI at the demo.
      const viaEnv = await spawnCli(['orders', 'list'], cleanEnv({ DLSYNC_CONFIG: writeEmptyEnvFile(join(dir, 'empty.yaml')), ...readExports(join(dir, 'demo.env')) }));
      // The fleet keeps working between the two listings (statuses and updated_at move), so the
      // same database is recognised by its POs: rows are never deleted, so every PO of the first
      // listing is in the second.
      const pos = (stdout: string) => stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]).sort();
      expect(viaEnv.code).toBe(0);
      expect(pos(viaEnv.stdout)).toEqual(expect.arrayContaining(pos(listed.stdout)));

      demo.child.kill('SIGINT');
      // 0, or 1 when the short demo did not finish every order: either way it exited by itself.
      expect([0, 1]).toContain(await demo.exited);
      const texts = demo.lines.map((l) => l.text);
      const at = (s: string) => texts.findIndex((t) => t.startsWith(s));
      expect(at('stopping the fleet')).toBeGreaterThan(-1);
      expect(at('fleet stopped')).toBeGreaterThan(at('stopping the fleet'));
      expect(at('stopping Postgres and Redis')).toBeGreaterThan(at('fleet stopped'));
      expect(texts.filter((t) => /ECONNREFUSED/.test(t))).toEqual([]);
      expect(existsSync(yamlFile)).toBe(false);
    } finally {
      await demo.stop('SIGKILL');
    }
  }, 240_000);
});

/** `export K='v'` lines of a shell file as variables (single-quoted values, as the demo writes them). */
function readExports(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  return Object.fromEntries(
    [...text.matchAll(/^export (\w+)='((?:[^']|'\\'')*)'$/gm)].map((m) => [m[1]!, m[2]!.replace(/'\\''/g, "'")]),
  );
}
