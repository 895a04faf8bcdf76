/**
 * One pull_dsco_orders run in a process of its own, so its peak RSS is the puller's alone (the
 * sandbox holding every order lives in the parent). Env: DLSYNC__* config; prints one JSON line.
 */
import { applyEnvOverrides, envConfigSchema, parseRuntimeConfig } from '@dlsync/config';
import { makeLogger } from '@dlsync/logger';
import { runTask } from '@dlsync/runner';
import { makeServices } from '@dlsync/services';

// Only the parent's DLSYNC__* variables, never a developer's env.yaml.
const env = envConfigSchema.parse(applyEnvOverrides({}, process.env));
const services = makeServices(env, { logger: makeLogger({ level: 'error', pretty: false }) });
const size = Number(process.env.BENCH_PULL_SIZE ?? 1_000_000);
const latest = await services.store.runtimeConfig.latest();
await services.store.runtimeConfig.save(
  parseRuntimeConfig({ jobs: { pull_dsco_orders: { size } } }),
  { expectedVersion: latest?.version ?? null, updatedBy: 'bench' },
);
const started = performance.now();
const report = await runTask('pull_dsco_orders', { trigger: 'cli' }, services.runner);
const ms = performance.now() - started;
await services.close();
process.stdout.write(
  `${JSON.stringify({ status: report.status, error: report.error, ok: report.counts.ok, skipped: report.counts.skipped, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
