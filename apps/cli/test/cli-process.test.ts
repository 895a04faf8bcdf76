import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapLimit, spawnCli } from './helpers.js';

const COMMANDS = [
  [],
  ['enqueue'],
  ['run'],
  ['migrate'],
  ['config'],
  ['config', 'show'],
  ['config', 'validate'],
  ['config', 'apply'],
  ['config', 'diff'],
  ['orders'],
  ['orders', 'list'],
  ['orders', 'show'],
  ['schedulers'],
  ['sandbox'],
  ['lingxing'],
  ['lingxing', 'sign'],
  ['demo'],
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-cli-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dlsync as a process', () => {
  it('prints --help for every command and exits 0', async () => {
    const results = await mapLimit(COMMANDS, 3, (cmd) => spawnCli([...cmd, '--help']));
    results.forEach((r, i) => {
      const cmd = COMMANDS[i]!;
      expect({ cmd, code: r.code, stderr: r.stderr }).toEqual({ cmd, code: 0, stderr: '' });
      expect(r.stdout).toContain(`Usage: dlsync${cmd.length ? ` ${cmd.join(' ')}` : ''}`);
    });
    expect(results[0]!.stdout).toContain('Exit codes:');
  }, 120_000);

  it('lingxing sign prints canonical, md5 and sign of the published vector', async () => {
    const params = { access_token: 'a4d671b9-778b-487d-b169-fda4806826a1', app_key: 'ak_boWbe9uTtCURT', timestamp: 1639734344 };
    const r = await spawnCli(['lingxing', 'sign', '--app-id', 'ak_boWbe9uTtCURT', '--params', JSON.stringify(params)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(out)).toEqual(['canonical', 'md5', 'sign']);
    expect(out.canonical).toBe('access_token=a4d671b9-778b-487d-b169-fda4806826a1&app_key=ak_boWbe9uTtCURT&timestamp=1639734344');
    expect(out.md5).toBe('449292A6FD7F7B8B7632CBD940F6C879');
    expect(out.sign).toMatch(/^[A-Za-z0-9+/]+=*$/);
  }, 30_000);

  it('config validate prints one path: message line per problem and exits 1', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      ['mapping:', '  shop: { R1: "not-a-number" }', 'jobs:', '  push_to_lingxing: { enabled: yes, cron: "never" }', '  pull_orders: {}'].join('\n'),
    );
    const r = await spawnCli(['config', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'mapping.shop.R1: must be a numeric store id',
        expect.stringMatching(/^jobs\.push_to_lingxing\.enabled: /),
        expect.stringMatching(/^jobs\.push_to_lingxing\.cron: (invalid cron "never": )?must be a 5- or 6-field cron expression$/),
        expect.stringMatching(/^jobs\.pull_orders: unknown task \(known: pull_dsco_orders, /),
      ]),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('usage errors exit 2 with one clear line and no stack trace', async () => {
    const results = await mapLimit(
      [
        ['enqueue', 'no_such_task'],
        ['enqueue', 'push_to_lingxing', '--start', '2025-01-02T00:00:00Z'],
        ['run', 'check_orders', '--start', 'yesterday', '--end', '2025-01-02T00:00:00Z'],
        ['lingxing', 'sign', '--app-id', 'short', '--params', '{}'],
        ['orders', 'list', '--status', '9'],
      ],
      3,
      (args) => spawnCli(args),
    );
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(results[0]!.stderr).toContain("argument 'task'");
    expect(results[1]!.stderr).toContain('--start and --end must be given together');
    expect(results[2]!.stderr).toMatch(/^--start: /m);
    expect(results[3]!.stderr).toContain('--app-id: Lingxing appId must be 16 bytes');
    expect(results[4]!.stderr).toContain('must be 1-6');
  }, 60_000);

  it('refuses a command whose configuration is missing with the path, exit 1', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DLSYNC')));
    writeFileSync(join(dir, 'empty.yaml'), '');
    const r = await spawnCli(['--config', join(dir, 'empty.yaml'), 'orders', 'list'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('postgres.url: required');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
