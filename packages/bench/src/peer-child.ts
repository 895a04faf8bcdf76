/**
 * The original per-order design (peer-design.ts) in a process of its own, with the real
 * clients dlsync's workers use (their limiters and call counts in the same Redis). Env: DLSYNC__*
 * config, BENCH_PEER_ORDERS, BENCH_PEER_CONCURRENCY, BENCH_PEER_TIMEOUT_MS,
 * BENCH_PEER_CREATED_SINCE; prints one JSON line.
 */
import { applyEnvOverrides, envConfigSchema, parseRuntimeConfig } from '@dlsync/config';
import { makeLogger } from '@dlsync/logger';
import { makeMappingResolver } from '@dlsync/mapping';
import { makeServices } from '@dlsync/services';
import { runPeerDesign } from './peer-design.js';

// Only the parent's DLSYNC__* variables, never a developer's env.yaml.
const env = envConfigSchema.parse(applyEnvOverrides({}, process.env));
const services = makeServices(env, { logger: makeLogger({ level: 'error', pretty: false }) });
const latest = await services.store.runtimeConfig.latest();
if (!latest) throw new Error('peer-child: the bench saved no runtime_config');
const cpuStart = process.cpuUsage();
const result = await runPeerDesign(
  {
    dsco: services.dsco,
    lingxing: services.lingxing,
    mapping: makeMappingResolver(parseRuntimeConfig(latest.config).mapping),
    platformCode: env.integration.lingxing.platform_code!,
    timezone: env.integration.lingxing.timezone,
  },
  {
    orders: Number(process.env.BENCH_PEER_ORDERS),
    concurrency: Number(process.env.BENCH_PEER_CONCURRENCY ?? 8),
    timeoutMs: Number(process.env.BENCH_PEER_TIMEOUT_MS ?? 900_000),
    createdSince: new Date(process.env.BENCH_PEER_CREATED_SINCE ?? '2025-01-01T00:00:00Z'),
  },
);
const cpu = process.cpuUsage(cpuStart);
await services.close();
process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS })}\n`);
