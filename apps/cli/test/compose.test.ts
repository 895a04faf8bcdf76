import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/processes/app-entry.js';
import { makeProgram } from '../src/program.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  profiles?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  environment?: Record<string, string | null>;
}

// Compose files use YAML merge keys (`<<: *app`); the parser resolves them with `merge`.
const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const APPS = ['migrate', 'scheduler', 'worker', 'admin'];

/** `node apps/x/dist/main.js …` → the TypeScript source the build turns into that file. */
function sourceOf(command: string[]): string {
  expect(command[0]).toBe('node');
  const built = command[1]!;
  expect(built).toMatch(/^(apps|packages)\/[a-z-]+\/dist\/.+\.js$/);
  return built.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
}

describe('docker-compose.yml', () => {
  it('has infra, a one-shot migrate, scheduler, worker, admin, and the sandbox behind a profile', () => {
    expect(Object.keys(services).sort()).toEqual(['admin', 'migrate', 'postgres', 'redis', 'sandbox', 'scheduler', 'worker']);
    expect(services.sandbox?.profiles).toEqual(['sandbox']);
    for (const name of ['postgres', 'redis', ...APPS]) expect(services[name]?.profiles).toBeUndefined();
    expect(services.migrate?.restart).toBe('no');
    expect(services.worker?.deploy?.replicas).toBe(2);
  });

  it('starts apps only after healthy infra and a successful migration', () => {
    expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.redis?.healthcheck?.test.join(' ')).toContain('ping');
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['scheduler', 'worker', 'admin']) {
      expect(services[name]?.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('runs every app from the one image, reaching postgres and redis by service name', () => {
    const image = services.worker?.image;
    for (const name of [...APPS, 'sandbox']) {
      expect(services[name]?.image).toBe(image);
      expect(services[name]?.build).toBe('.');
    }
    for (const name of APPS) {
      expect(services[name]?.environment).toMatchObject({
        DLSYNC__POSTGRES__URL: expect.stringContaining('@postgres:5432/'),
        DLSYNC__REDIS__URL: 'redis://redis:6379',
        DLSYNC_CONFIG: '/config/env.yaml',
      });
    }
    expect(services.admin?.environment?.DLSYNC__ADMIN__HOST).toBe('0.0.0.0');
  });

  it('gives every service a command that exists in the repo', () => {
    const cli = makeProgram();
    for (const name of [...APPS, 'sandbox']) {
      const command = services[name]!.command!;
      const source = sourceOf(command);
      expect({ name, source, exists: existsSync(join(REPO_ROOT, source)) }).toEqual({ name, source, exists: true });
      if (source === 'apps/cli/src/main.ts') {
        expect(cli.commands.map((c) => c.name())).toContain(command[2]);
      }
    }
  });

  it('health-checks worker and admin on the ports their commands listen on', () => {
    const workerPort = services.worker!.command![services.worker!.command!.indexOf('--port') + 1];
    expect(services.worker?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${workerPort}/healthz`);
    expect(services.admin?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${services.admin?.environment?.DLSYNC__ADMIN__PORT}/healthz`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('builds in one stage and runs production deps + dist as a non-root user in another', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(stages).toEqual([
      ['node:22-bookworm-slim', 'build'],
      ['node:22-bookworm-slim', 'runtime'],
    ]);
    const [build, runtime] = dockerfile.split(/^FROM .* AS runtime$/m);
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^COPY --from=build /m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('keeps node_modules and build output out of the build context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', 'env.yaml']));
  });
});
