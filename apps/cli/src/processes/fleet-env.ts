import { writeFileSync } from 'node:fs';
import type { Sandbox } from '@dlsync/sandbox';

export interface FleetEnvInput {
  databaseUrl: string;
  redisUrl: string;
  /** redis.prefix of the fleet. */
  prefix: string;
  dsco: { baseUrl: string; token: string; ratePerSecond?: number; ratePerMinute?: number };
  lingxing: { baseUrl: string; appId: string; appSecret: string; platformCode: number | string };
  /** auth.admin.users: user → `scrypt$…` or `token:…`. */
  adminUsers?: Record<string, string>;
  admin?: { host?: string; port?: number };
  /** (Default: info) */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /**
   * An env.yaml path for the children. Give an empty file so a developer's ./env.yaml (maybe
   * holding real credentials) can never leak into a demo or test fleet.
   */
  configPath: string;
}

/** The DSCO and Lingxing a fleet talks to when it runs against `sandbox` (its URLs and credentials). */
export function sandboxRemotes(sandbox: Pick<Sandbox, 'dscoUrl' | 'lingxingUrl' | 'credentials' | 'options'>): Pick<FleetEnvInput, 'dsco' | 'lingxing'> {
  return {
    dsco: { baseUrl: sandbox.dscoUrl, token: sandbox.credentials.dscoToken },
    lingxing: {
      baseUrl: sandbox.lingxingUrl,
      appId: sandbox.credentials.lingxingAppId,
      appSecret: sandbox.credentials.lingxingAppSecret,
      platformCode: sandbox.options.platformCode,
    },
  };
}

/** Writes an empty env.yaml at `path` (for {@link FleetEnvInput.configPath}). */
export function writeEmptyEnvFile(path: string): string {
  writeFileSync(path, '# dlsync child processes read every setting from DLSYNC__ variables\n');
  return path;
}

/**
 * The environment of a child dlsync process: the parent's variables minus any DLSYNC_*
 * (so nothing of the caller's configuration leaks in), plus `DLSYNC__SECTION__KEY` settings.
 */
export function fleetEnv(input: FleetEnvInput, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith('DLSYNC')));
  const set = (key: string, value: string | number | undefined): void => {
    if (value !== undefined) env[`DLSYNC__${key}`] = String(value);
  };
  env.DLSYNC_CONFIG = input.configPath;
  set('POSTGRES__URL', input.databaseUrl);
  set('REDIS__URL', input.redisUrl);
  set('REDIS__PREFIX', input.prefix);
  set('AUTH__DSCO__TOKEN', input.dsco.token);
  set('AUTH__LINGXING__APP_ID', input.lingxing.appId);
  set('AUTH__LINGXING__APP_SECRET', input.lingxing.appSecret);
  set('INTEGRATION__DSCO__BASE_URL', input.dsco.baseUrl);
  set('INTEGRATION__DSCO__RATE_PER_SECOND', input.dsco.ratePerSecond);
  set('INTEGRATION__DSCO__RATE_PER_MINUTE', input.dsco.ratePerMinute);
  set('INTEGRATION__LINGXING__BASE_URL', input.lingxing.baseUrl);
  set('INTEGRATION__LINGXING__PLATFORM_CODE', input.lingxing.platformCode);
  if (input.adminUsers) set('AUTH__ADMIN__USERS', JSON.stringify(input.adminUsers));
  set('ADMIN__HOST', input.admin?.host);
  set('ADMIN__PORT', input.admin?.port);
  set('LOG__LEVEL', input.logLevel ?? 'info');
  return env;
}
