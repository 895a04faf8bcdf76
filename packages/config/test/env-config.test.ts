import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvOverrides, assertConfigFor, ConfigError, loadEnvConfig } from '@dlsync/config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-config-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function yamlFile(text: string): string {
  const path = join(dir, `env-${++fileCount}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError `fn` throws, or a failure when it throws something else or nothing. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnvConfig', () => {
  it('reads the file and fills in defaults', () => {
    const config = loadEnvConfig({ path: yamlFile('postgres:\n  url: postgres://a@h/db\n'), env: {} });
    expect(config.postgres).toEqual({ url: 'postgres://a@h/db', pool_max: 10, idle_timeout_ms: 30_000 });
    expect(config.redis.prefix).toBe('dlsync');
    expect(config.integration.dsco.base_url).toBe('https://api.dsco.io/api/v3');
    expect(config.integration.lingxing.base_url).toBe('https://openapi.lingxing.com');
    expect(config.log.level).toBe('info');
  });

  it('reads the file named by DLSYNC_CONFIG', () => {
    const path = yamlFile('log:\n  level: debug\n');
    expect(loadEnvConfig({ env: { DLSYNC_CONFIG: path } }).log.level).toBe('debug');
  });

  it('refuses a named file that does not exist', () => {
    const missing = join(dir, 'nope.yaml');
    expect(configError(() => loadEnvConfig({ path: missing, env: {} })).message).toBe(`(file): ${missing} does not exist`);
  });

  it('names the path of a value of the wrong type, one line per problem', () => {
    const path = yamlFile('log:\n  level: verbose\nadmin:\n  port: eighty\n  public_paths: /healthz\n');
    const err = configError(() => loadEnvConfig({ path, env: {} }));
    expect(err.source).toBe(path);
    expect(err.message.split('\n')).toEqual([
      'admin.port: Invalid input: expected number, received NaN',
      'admin.public_paths: Invalid input: expected array, received string',
      'log.level: Invalid option: expected one of "error"|"warn"|"info"|"debug"',
    ]);
  });

  it('names an unknown key at its own path', () => {
    const path = yamlFile('postgres:\n  uri: postgres://a@h/db\nredis:\n  url: redis://h\n  prefx: x\n');
    expect(configError(() => loadEnvConfig({ path, env: {} })).message.split('\n')).toEqual([
      'postgres.uri: unknown key',
      'redis.prefx: unknown key',
    ]);
  });

  it('reports bad YAML by line and column without echoing the file', () => {
    const path = yamlFile('auth:\n  lingxing:\n    app_secret: "s3cret-value\n');
    const err = configError(() => loadEnvConfig({ path, env: {} }));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(new RegExp(`^\\(file\\): cannot parse ${path}: Missing closing "quote at line \\d+, column \\d+$`));
    expect(err.message).not.toContain('s3cret-value');
  });

  it('refuses a document that is not a mapping', () => {
    const path = yamlFile('- postgres\n- redis\n');
    expect(configError(() => loadEnvConfig({ path, env: {} })).message).toBe('(root): must be a mapping of sections');
  });
});

describe('DLSYNC__SECTION__KEY overrides', () => {
  const file = 'postgres:\n  url: postgres://file@h/db\n  pool_max: 5\nintegration:\n  lingxing:\n    timezone: Asia/Shanghai\n';

  it('win over the file, at any depth, coerced to the schema type', () => {
    const config = loadEnvConfig({
      path: yamlFile(file),
      env: {
        DLSYNC__POSTGRES__URL: 'postgres://env@h/db',
        DLSYNC__INTEGRATION__LINGXING__PLATFORM_CODE: '10009',
        DLSYNC__AUTH__LINGXING__APP_SECRET: 'from-env',
        DLSYNC__ADMIN__PUBLIC_PATHS: '["/healthz", "/metrics"]',
      },
    });
    expect(config.postgres).toEqual({ url: 'postgres://env@h/db', pool_max: 5, idle_timeout_ms: 30_000 });
    expect(config.integration.lingxing).toEqual({
      base_url: 'https://openapi.lingxing.com',
      platform_code: 10009,
      timezone: 'Asia/Shanghai',
      timeout_ms: 30_000,
    });
    expect(config.auth.lingxing.app_secret).toBe('from-env');
    expect(config.admin.public_paths).toEqual(['/healthz', '/metrics']);
  });

  it('are validated like the file, naming the key path', () => {
    const err = configError(() => loadEnvConfig({ path: yamlFile(file), env: { DLSYNC__POSTGRES__POOL_MAX: 'many' } }));
    expect(err.message).toBe('postgres.pool_max: Invalid input: expected number, received NaN');
  });

  it('ignore other variables and leave the input untouched', () => {
    const base = { log: { level: 'warn' } };
    const out = applyEnvOverrides(base, { DLSYNC_CONFIG: 'x', DLSYNC__LOG__LEVEL: 'debug', DLSYNC____X: 'y', PATH: '/bin' });
    expect(out).toEqual({ log: { level: 'debug' } });
    expect(base).toEqual({ log: { level: 'warn' } });
  });
});

describe('assertConfigFor', () => {
  const empty = () => loadEnvConfig({ path: yamlFile('{}\n'), env: {} });

  it('names every missing key the process needs', () => {
    const err = configError(() => assertConfigFor(empty(), ['postgres', 'redis', 'dsco', 'lingxing', 'admin']));
    expect(err.message.split('\n')).toEqual([
      'postgres.url: required',
      'redis.url: required',
      'auth.dsco.token: required (or auth.dsco.client_id and auth.dsco.client_secret)',
      'auth.lingxing.app_id: required',
      'auth.lingxing.app_secret: required',
      'integration.lingxing.platform_code: required',
      'auth.admin.users: at least one user is required',
    ]);
  });

  it('asks only for what the process needs', () => {
    expect(() => assertConfigFor(empty(), [])).not.toThrow();
    expect(configError(() => assertConfigFor(empty(), ['redis'])).message).toBe('redis.url: required');
  });

  it('accepts DSCO client credentials instead of a token', () => {
    const config = loadEnvConfig({
      path: yamlFile('auth:\n  dsco:\n    client_id: id\n    client_secret: secret\n'),
      env: {},
    });
    expect(() => assertConfigFor(config, ['dsco'])).not.toThrow();
  });
});

describe('admin security keys', () => {
  const load = (text: string, env: NodeJS.ProcessEnv = {}) => loadEnvConfig({ path: yamlFile(text), env });

  it('takes users in the short string form and the object form with a role', () => {
    const config = load('auth:\n  admin:\n    users:\n      ops: token:0123456789abcdef\n      carol: { password_hash: scrypt$s$h, role: viewer }\n      bot: { token: 0123456789abcdefgh }\n');
    expect(config.auth.admin.users).toEqual({
      ops: 'token:0123456789abcdef',
      carol: { password_hash: 'scrypt$s$h', role: 'viewer' },
      bot: { token: '0123456789abcdefgh', role: 'admin' },
    });
  });

  it('names the user whose object form is wrong', () => {
    const both = configError(() => load('auth:\n  admin:\n    users:\n      carol: { password_hash: x, token: 0123456789abcdefgh }\n'));
    expect(both.message).toMatch(/auth\.admin\.users\.carol/);
    const role = configError(() => load('auth:\n  admin:\n    users:\n      carol: { token: 0123456789abcdefgh, role: root }\n'));
    expect(role.message).toMatch(/auth\.admin\.users\.carol/);
  });

  it('defaults trust_proxy off, cookie_secure auto and a login throttle, and reads trust_proxy overrides as booleans or hop counts', () => {
    const config = load('admin: {}\n');
    expect(config.admin).toMatchObject({
      trust_proxy: false,
      cookie_secure: 'auto',
      login_throttle: { failures_per_user: 10, failures_per_address: 50, window_seconds: 900, concurrent_checks: 2 },
    });
    expect(load('admin: {}\n', { DLSYNC__ADMIN__TRUST_PROXY: 'true' }).admin.trust_proxy).toBe(true);
    expect(load('admin: {}\n', { DLSYNC__ADMIN__TRUST_PROXY: '2' }).admin.trust_proxy).toBe(2);
    expect(load('admin: {}\n', { DLSYNC__ADMIN__TRUST_PROXY: '10.0.0.0/8' }).admin.trust_proxy).toBe('10.0.0.0/8');
    expect(configError(() => load('admin:\n  cookie_secure: sometimes\n')).message).toMatch(/admin\.cookie_secure/);
  });
});
