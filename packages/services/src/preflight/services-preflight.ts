import { parseRuntimeConfig } from '@dlsync/config';
import type { Services } from '../make-services.js';
import type { PreflightReport } from './check.js';
import { runPreflight } from './run-preflight.js';

/**
 * The preflight over a process's services: the live runtime_config's mapping and the configured
 * clients. What `dlsync preflight` runs, and what the admin overview can show.
 */
export async function runServicesPreflight(services: Pick<Services, 'env' | 'store' | 'dsco' | 'lingxing'>, options: { signal?: AbortSignal; now?: () => number } = {}): Promise<PreflightReport> {
  const live = await services.store.runtimeConfig.latest();
  const { mapping } = parseRuntimeConfig(live?.config ?? {}, live ? `runtime_config v${live.version}` : 'runtime_config');
  const lingxing = services.env.integration.lingxing;
  return runPreflight({
    dsco: services.dsco,
    lingxing: services.lingxing,
    mapping,
    platformCode: lingxing.platform_code,
    timezone: lingxing.timezone,
    ...options,
  });
}
