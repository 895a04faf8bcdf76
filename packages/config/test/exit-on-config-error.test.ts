import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixtures/load-config.ts', import.meta.url));

function runScript(arg: string) {
  const result = spawnSync(process.execPath, ['--conditions=dlsync-source', '--import', 'tsx', SCRIPT, arg], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('exitOnConfigError', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlsync-exit-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one `path: message` line per problem, no stack trace, and exits 1', () => {
    const path = join(dir, 'env.yaml');
    writeFileSync(path, 'log:\n  level: loud\npostgres:\n  pool_max: 0\n');
    const { code, stdout, stderr } = runScript(path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `invalid configuration (${path}):\n` +
        'postgres.pool_max: Too small: expected number to be >0\n' +
        'log.level: Invalid option: expected one of "error"|"warn"|"info"|"debug"\n',
    );
  }, 30_000);

  it('lets a valid config through', () => {
    const path = join(dir, 'good.yaml');
    writeFileSync(path, 'log:\n  level: warn\n');
    expect(runScript(path)).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  }, 30_000);

  it('rethrows anything that is not a ConfigError', () => {
    const { code, stderr } = runScript('--throw');
    expect(code).toBe(1);
    expect(stderr).toContain('TypeError: not a config problem');
    expect(stderr).toMatch(/\n\s+at /);
  }, 30_000);
});
