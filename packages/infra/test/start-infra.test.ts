import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dockerEngineAnswers,
  envInfra,
  findLocalBinaries,
  defaultSearchPath,
  startInfra,
  InfraUnavailableError,
} from '@dlsync/infra';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/dlsync/docker.sock' };

describe('env provider', () => {
  it('uses DATABASE_URL and REDIS_URL as they are and starts nothing', async () => {
    const env = { DATABASE_URL: 'postgres://u@db.example:5432/x', REDIS_URL: 'redis://cache.example:6379' };
    const infra = await startInfra({ env });
    expect(infra).toMatchObject({ provider: 'env', databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
    await expect(infra.stop()).resolves.toBeUndefined();
    expect(infra.restartPostgres).toBeUndefined();
  });

  it('is skipped when neither variable is set', () => {
    expect(envInfra({})).toBeUndefined();
  });

  it('refuses exactly one of the two variables instead of guessing', async () => {
    await expect(startInfra({ env: { DATABASE_URL: 'postgres://x@h/db' } })).rejects.toThrow(
      new InfraUnavailableError('REDIS_URL is not set: set both DATABASE_URL and REDIS_URL, or neither'),
    );
  });
});

describe('no provider available', () => {
  it('throws InfraUnavailableError naming the three ways to get Postgres and Redis', async () => {
    const err = await startInfra({ env: NO_DOCKER, searchPath: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InfraUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain('set DATABASE_URL and REDIS_URL');
    expect(message).toContain('start a Docker engine so testcontainers can run postgres:15-alpine and redis:7-alpine');
    expect(message).toContain('install PostgreSQL server binaries (initdb, pg_ctl) and redis-server');
    expect(message).toContain('env: DATABASE_URL and REDIS_URL are not set');
    expect(message).toContain('testcontainers: no Docker engine answered');
    expect(message).toContain('local: initdb/pg_ctl and redis-server not found');
  });

  it('tries only the providers it is given', async () => {
    const logs: string[] = [];
    await expect(startInfra({ providers: ['local'], env: {}, searchPath: [], log: (m) => logs.push(m) })).rejects.toThrow(
      '(tried local: initdb/pg_ctl and redis-server not found)',
    );
    expect(logs).toEqual(['local provider: initdb/pg_ctl and redis-server not found']);
  });
});

describe('dockerEngineAnswers', () => {
  let dir: string;
  const servers: Server[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlsync-docker-test-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in engine on a unix socket answering /_ping with `status`. */
  async function fakeEngine(name: string, status: number): Promise<string> {
    const socketPath = join(dir, name);
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/_ping' ? status : 404;
      res.end('OK');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  it('is true when DOCKER_HOST answers GET /_ping with 200', async () => {
    const socket = await fakeEngine('ok.sock', 200);
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${socket}` })).toBe(true);
  });

  it('is false when the engine answers with an error', async () => {
    const socket = await fakeEngine('broken.sock', 500);
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${socket}` })).toBe(false);
  });

  it('is false when DOCKER_HOST names a socket nobody listens on, or a closed TCP port', async () => {
    expect(await dockerEngineAnswers(NO_DOCKER)).toBe(false);
    expect(await dockerEngineAnswers({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).toBe(false);
  });
});

describe('findLocalBinaries', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlsync-bin-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fakeBin(sub: string, name: string, executable = true): string {
    mkdirSync(join(dir, sub), { recursive: true });
    const path = join(dir, sub, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, executable ? 0o755 : 0o644);
    return join(dir, sub);
  }

  it('takes initdb and pg_ctl from one directory, the first on the search path holding both', () => {
    const onlyInitdb = fakeBin('a', 'initdb');
    const both = fakeBin('b', 'initdb');
    fakeBin('b', 'pg_ctl');
    const redis = fakeBin('c', 'redis-server');
    expect(findLocalBinaries([onlyInitdb, both, redis])).toEqual({
      found: { initdb: join(both, 'initdb'), pgCtl: join(both, 'pg_ctl'), redisServer: join(redis, 'redis-server') },
    });
  });

  it('ignores files that are not executable and lists what is missing', () => {
    const notExec = fakeBin('d', 'redis-server', false);
    expect(findLocalBinaries([notExec])).toEqual({ missing: ['initdb/pg_ctl', 'redis-server'] });
  });

  it('searches PATH first, then the Debian server directories', () => {
    const path = defaultSearchPath({ PATH: '/opt/one:/opt/two' });
    expect(path.slice(0, 2)).toEqual(['/opt/one', '/opt/two']);
    for (const extra of path.slice(2)) expect(extra).toMatch(/^\/usr\/lib\/postgresql\/[\d.]+\/bin$/);
  });
});
