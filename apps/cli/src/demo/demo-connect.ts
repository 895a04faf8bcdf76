import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { FleetEnvInput } from '../processes/fleet-env.js';

/** What another terminal needs to reach a running demo. */
export type DemoConnection = Pick<FleetEnvInput, 'databaseUrl' | 'redisUrl' | 'prefix' | 'dsco' | 'lingxing'>;

export interface DemoConnectionFiles {
  /** `export DLSYNC__…=…` lines, for `. <file>` in a shell. */
  envFile: string;
  /** An env.yaml, for `DLSYNC_CONFIG=<file>`. */
  yamlFile: string;
  /** How to use them, ready to print. */
  instructions: string[];
  /** Deletes both files (they point at a demo that no longer exists). */
  remove(): void;
}

/** The env.yaml of the demo's settings: the same keys the fleet gets as DLSYNC__ variables. */
export function demoEnvConfig(c: DemoConnection): Record<string, unknown> {
  return {
    postgres: { url: c.databaseUrl },
    redis: { url: c.redisUrl, prefix: c.prefix },
    auth: { dsco: { token: c.dsco.token }, lingxing: { app_id: c.lingxing.appId, app_secret: c.lingxing.appSecret } },
    integration: {
      dsco: { base_url: c.dsco.baseUrl },
      lingxing: { base_url: c.lingxing.baseUrl, platform_code: Number(c.lingxing.platformCode) },
    },
  };
}

const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** `DLSYNC__SECTION__KEY=value` for every leaf of an env config. */
export function demoEnvVars(config: Record<string, unknown>, path: string[] = []): [string, string][] {
  return Object.entries(config).flatMap(([k, v]) =>
    v && typeof v === 'object'
      ? demoEnvVars(v as Record<string, unknown>, [...path, k])
      : [[`DLSYNC__${[...path, k].join('__').toUpperCase()}`, String(v)] as [string, string]],
  );
}

/**
 * Writes the demo's connection settings under `dir` (`.dlsync/` of the working directory: git
 * ignores it) as an env.yaml and a shell file, owner-only since they hold the sandbox's
 * credentials, so `npm run dlsync -- orders list` works from another terminal at once.
 */
export function writeDemoConnection(dir: string, connection: DemoConnection, cwd = process.cwd()): DemoConnectionFiles {
  mkdirSync(dir, { recursive: true });
  const config = demoEnvConfig(connection);
  const yamlFile = join(dir, 'demo.yaml');
  const envFile = join(dir, 'demo.env');
  writeFileSync(yamlFile, `# dlsync demo (removed when the demo stops)\n${toYaml(config)}`, { mode: 0o600 });
  writeFileSync(envFile, `# dlsync demo (removed when the demo stops)\n${demoEnvVars(config).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n')}\n`, { mode: 0o600 });
  const rel = (p: string): string => (relative(cwd, p).startsWith('..') ? p : `./${relative(cwd, p)}`);
  return {
    envFile,
    yamlFile,
    instructions: [
      `CLI from another terminal (settings in ${rel(yamlFile)}, as variables in ${rel(envFile)}):`,
      `  DLSYNC_CONFIG=${rel(yamlFile)} npm run dlsync -- orders list`,
      `  or: . ${rel(envFile)} && npm run dlsync -- orders list`,
    ],
    remove() {
      rmSync(yamlFile, { force: true });
      rmSync(envFile, { force: true });
    },
  };
}
