import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, problemsFromZod } from './errors.js';

const logLevel = z.enum(['error', 'warn', 'info', 'debug']);

/** True when this runtime knows `zone` as an IANA time zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `viewer` sees every page and Bull Board but changes nothing; `admin` may also run, retry and
 * edit; `inventory` (partner systems' tokens) may call only the inventory API under /api/v1/inventory/.
 */
const ADMIN_ROLES = ['admin', 'viewer', 'inventory'] as const;


/** One `auth.admin.users` entry: the short string form is an admin; the object form names its role. */
const adminUserSchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      /** `scrypt$<salt>$<hash>` from `dlsync-admin hash-password`. */
      password_hash: z.string().min(1).optional(),
      /** A bearer token (no `token:` prefix), at least 16 characters. */
      token: z.string().min(16, 'must be at least 16 characters').optional(),
      /** (Default: admin) */
      role: z.enum(ADMIN_ROLES).default('admin'),
    })
    .refine((u) => (u.password_hash === undefined) !== (u.token === undefined), 'give exactly one of password_hash and token'),
]);

/** `true`/`false` and hop counts arrive from env overrides as strings. */
const trustProxySchema = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.union([z.boolean(), z.number().int().nonnegative(), z.string().min(1), z.array(z.string().min(1))]),
);

const LOGIN_THROTTLE_DEFAULTS = { failures_per_user: 10, failures_per_address: 50, window_seconds: 900, concurrent_checks: 2 };

export const envConfigSchema = z.strictObject({
  postgres: z
    .strictObject({
      url: z.string().min(1).optional(),
      /** Max pooled connections per process. (Default: 10) */
      pool_max: z.coerce.number().int().positive().default(10),
      /** Idle connection lifetime in ms. (Default: 30000) */
      idle_timeout_ms: z.coerce.number().int().nonnegative().default(30_000),
    })
    .default({ pool_max: 10, idle_timeout_ms: 30_000 }),
  redis: z
    .strictObject({
      url: z.string().min(1).optional(),
      /** Prefix of every Redis key and BullMQ queue. (Default: `dlsync`) */
      prefix: z.string().min(1).default('dlsync'),
    })
    .default({ prefix: 'dlsync' }),
  auth: z
    .strictObject({
      dsco: z
        .strictObject({
          token: z.string().min(1).optional(),
          client_id: z.string().min(1).optional(),
          client_secret: z.string().min(1).optional(),
        })
        .default({}),
      lingxing: z
        .strictObject({
          app_id: z.string().min(1).optional(),
          app_secret: z.string().min(1).optional(),
        })
        .default({}),
      admin: z
        .strictObject({
          /**
           * user → `scrypt$<salt>$<hash>` password hash or `token:<bearer token>` (role admin),
           * or `{ password_hash | token, role: admin | viewer }`.
           */
          users: z.record(z.string().min(1), adminUserSchema).default({}),
        })
        .default({ users: {} }),
    })
    .default({ dsco: {}, lingxing: {}, admin: { users: {} } }),
  integration: z
    .strictObject({
      dsco: z
        .strictObject({
          base_url: z.url().default('https://api.dsco.io/api/v3'),
          /**
           * Optional account-wide cap: requests per second over every endpoint together, across
           * all workers, on top of DSCO's own per-endpoint limits (which always apply). (Default: none)
           */
          rate_per_second: z.coerce.number().positive().optional(),
          /** Optional account-wide cap per minute, like rate_per_second. (Default: none) */
          rate_per_minute: z.coerce.number().positive().optional(),
          /**
           * dlsync's own pacing of each change log (`/order/log`, `/invoice/log`,
           * `/inventory/log`), per second and per minute: DSCO states no rate for them, and their
           * reads are what verified writes wait on, so an operator DSCO allows more can raise it.
           * (Default: 10 per second, 500 per minute, the rate DSCO gives its most limited read)
           */
          change_log_rate_per_second: z.coerce.number().int().positive().optional(),
          /** Per minute, like change_log_rate_per_second. (Default: 500) */
          change_log_rate_per_minute: z.coerce.number().int().positive().optional(),
          /** Per HTTP attempt, ms. (Default: 30000) */
          timeout_ms: z.coerce.number().int().positive().default(30_000),
        })
        .default({ base_url: 'https://api.dsco.io/api/v3', timeout_ms: 30_000 }),
      lingxing: z
        .strictObject({
          base_url: z.url().default('https://openapi.lingxing.com'),
          platform_code: z.coerce.number().int().positive().optional(),
          /** IANA zone of WMS timestamps. (Default: UTC) */
          timezone: z.string().default('UTC'),
          /** Per HTTP attempt, ms. (Default: 30000) */
          timeout_ms: z.coerce.number().int().positive().default(30_000),
        })
        .default({ base_url: 'https://openapi.lingxing.com', timezone: 'UTC', timeout_ms: 30_000 }),
    })
    .default({
      dsco: { base_url: 'https://api.dsco.io/api/v3', timeout_ms: 30_000 },
      lingxing: { base_url: 'https://openapi.lingxing.com', timezone: 'UTC', timeout_ms: 30_000 },
    }),
  admin: z
    .strictObject({
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      host: z.string().default('127.0.0.1'),
      /** Routes served without auth, e.g. ["/metrics", "/healthz"]. (Default: /healthz) */
      public_paths: z.array(z.string()).default(['/healthz']),
      /** Minutes without progress before an order counts as stuck. (Default: 120) */
      stuck_after_minutes: z.coerce.number().int().positive().default(120),
      /** IANA time zone the console shows and takes times in; storage stays UTC. (Default: UTC) */
      display_timezone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. UTC or America/New_York').default('UTC'),
      /** A DSCO deadline this many hours away (or past) puts an order on the attention list. (Default: 24) */
      attention_hours: z.coerce.number().positive().max(24 * 30).default(24),
      /**
       * Signs the admin's login cookies. Set the same value on every admin replica behind one
       * load balancer; without it each process makes its own and logins do not carry over.
       */
      session_secret: z.string().min(32, 'must be at least 32 characters').optional(),
      /**
       * Which proxies to believe for the client address, protocol and host (X-Forwarded-*):
       * false, true (any), a hop count, or addresses/CIDRs. (Default: false)
       */
      trust_proxy: trustProxySchema.default(false),
      /**
       * `Secure` on the session cookie: auto = when the request came over https (as the
       * trusted proxy says), always, or never. (Default: auto)
       */
      cookie_secure: z.enum(['auto', 'always', 'never']).default('auto'),
      /** Failed sign-ins allowed per user name and per client address in a window, shared through Redis. */
      login_throttle: z
        .strictObject({
          /** (Default: 10) */
          failures_per_user: z.coerce.number().int().positive().default(LOGIN_THROTTLE_DEFAULTS.failures_per_user),
          /** (Default: 50) */
          failures_per_address: z.coerce.number().int().positive().default(LOGIN_THROTTLE_DEFAULTS.failures_per_address),
          /** (Default: 900) */
          window_seconds: z.coerce.number().int().positive().default(LOGIN_THROTTLE_DEFAULTS.window_seconds),
          /** Password checks (16 MiB scrypt each) running at once per process; more wait briefly, then get 429. (Default: 2) */
          concurrent_checks: z.coerce.number().int().positive().default(LOGIN_THROTTLE_DEFAULTS.concurrent_checks),
        })
        .default(LOGIN_THROTTLE_DEFAULTS),
    })
    .default({
      port: 8080,
      host: '127.0.0.1',
      public_paths: ['/healthz'],
      stuck_after_minutes: 120,
      display_timezone: 'UTC',
      attention_hours: 24,
      trust_proxy: false,
      cookie_secure: 'auto',
      login_throttle: LOGIN_THROTTLE_DEFAULTS,
    }),
  log: z.strictObject({ level: logLevel.default('info') }).default({ level: 'info' }),
});

export type EnvConfig = z.output<typeof envConfigSchema>;

export interface LoadEnvConfigOptions {
  /** Path of env.yaml. (Default: `$DLSYNC_CONFIG`, else `./env.yaml`) */
  path?: string;
  /** Environment to read `DLSYNC__SECTION__KEY` overrides from. (Default: process.env) */
  env?: NodeJS.ProcessEnv;
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Env values are strings; JSON arrays/objects (e.g. admin.public_paths) may be given as JSON. */
function envValue(raw: string): unknown {
  const t = raw.trim();
  if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
    try {
      return JSON.parse(t);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** `DLSYNC__AUTH__LINGXING__APP_ID=x` → `{auth: {lingxing: {app_id: 'x'}}}` overlaid on the file. */
export function applyEnvOverrides(base: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out = structuredClone(base);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('DLSYNC__') || value === undefined) continue;
    const keys = name.slice('DLSYNC__'.length).split('__').map((k) => k.toLowerCase());
    if (keys.some((k) => !k)) continue;
    setPath(out, keys, envValue(value));
  }
  return out;
}

/**
 * Reads env.yaml (a missing file is an empty config), overlays `DLSYNC__*` env vars and
 * validates. Throws ConfigError naming each bad key path.
 */
export function loadEnvConfig(options: LoadEnvConfigOptions = {}): EnvConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? env.DLSYNC_CONFIG ?? './env.yaml';
  let fileValue: unknown = {};
  if (existsSync(path)) {
    try {
      fileValue = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (err) {
      // The parser appends a frame of the offending lines, which may hold a secret: keep only
      // the first line ("Missing closing "quote at line 4, column 1").
      const reason = ((err as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
      throw new ConfigError([{ path: '(file)', message: `cannot parse ${path}: ${reason}` }], path);
    }
  } else if (options.path || env.DLSYNC_CONFIG) {
    throw new ConfigError([{ path: '(file)', message: `${path} does not exist` }], path);
  }
  if (fileValue === null || typeof fileValue !== 'object' || Array.isArray(fileValue)) {
    throw new ConfigError([{ path: '(root)', message: 'must be a mapping of sections' }], path);
  }
  const merged = applyEnvOverrides(fileValue as Record<string, unknown>, env);
  const result = envConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(problemsFromZod(result.error), path);
  return result.data;
}

type Need = 'postgres' | 'redis' | 'dsco' | 'lingxing' | 'admin';

/**
 * Secrets are optional in the schema because not every process needs every one; a process
 * calls this at start with the parts it is about to use.
 */
export function assertConfigFor(config: EnvConfig, needs: Need[]): void {
  const problems: { path: string; message: string }[] = [];
  for (const need of needs) {
    if (need === 'postgres' && !config.postgres.url) problems.push({ path: 'postgres.url', message: 'required' });
    if (need === 'redis' && !config.redis.url) problems.push({ path: 'redis.url', message: 'required' });
    if (need === 'dsco') {
      const d = config.auth.dsco;
      if (!d.token && !(d.client_id && d.client_secret)) {
        problems.push({ path: 'auth.dsco.token', message: 'required (or auth.dsco.client_id and auth.dsco.client_secret)' });
      }
    }
    if (need === 'lingxing') {
      if (!config.auth.lingxing.app_id) problems.push({ path: 'auth.lingxing.app_id', message: 'required' });
      if (!config.auth.lingxing.app_secret) problems.push({ path: 'auth.lingxing.app_secret', message: 'required' });
      if (!config.integration.lingxing.platform_code) {
        problems.push({ path: 'integration.lingxing.platform_code', message: 'required' });
      }
    }
    if (need === 'admin' && Object.keys(config.auth.admin.users).length === 0) {
      problems.push({ path: 'auth.admin.users', message: 'at least one user is required' });
    }
  }
  if (problems.length) throw new ConfigError(problems);
}
