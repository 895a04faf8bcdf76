import type { Mapping } from '@dlsync/config';
import type { DscoClient } from '@dlsync/dsco';
import {
  LINGXING_ACCOUNT_ENDPOINTS,
  LINGXING_PROVIDER_TYPES,
  LINGXING_WAREHOUSE_TYPES,
  makeAccountLists,
  type LingxingCall,
  type LingxingClient,
} from '@dlsync/lingxing';
import { reason, failed, skipped, type PreflightCheck, type PreflightReport } from './check.js';
import { checkClock, type ClockSample } from './clock-check.js';
import { runDscoChecks } from './dsco-checks.js';
import { runLingxingAccessChecks } from './lingxing-access.js';
import { checkLogistics, checkStores, checkWarehouses, MAPPING_CHECKS } from './lingxing-mapping.js';

export interface PreflightDeps {
  dsco: Pick<DscoClient, 'listWarehouses'>;
  lingxing: Pick<LingxingClient, 'call' | 'tokens'>;
  /** The live runtime_config mapping. */
  mapping: Mapping;
  /** `integration.lingxing.platform_code`. */
  platformCode: number | undefined;
  /** `integration.lingxing.timezone`. */
  timezone: string;
  /** Epoch ms. (Default: Date.now) */
  now?: () => number;
  signal?: AbortSignal;
  /** Largest accepted difference between Lingxing's clock and ours. (Default: CLOCK_TOLERANCE_MS, 2 min) */
  clockToleranceMs?: number;
}

/** A signed call that keeps the first `response_time` it sees, with our clock around it. */
function observingClock(call: LingxingCall, now: () => number): { call: LingxingCall; sample: () => ClockSample | undefined } {
  let sample: ClockSample | undefined;
  return {
    async call(endpoint, params, options) {
      const sentAtMs = now();
      const envelope = await call(endpoint, params, options);
      if (!sample && envelope.responseTime) sample = { responseTime: envelope.responseTime, sentAtMs, receivedAtMs: now() };
      return envelope;
    },
    sample: () => sample,
  };
}

/** Runs one list check, or skips it when its API is not granted, or fails it when the read fails. */
async function listCheck(
  check: { id: string; title: string },
  endpoint: string,
  granted: ReadonlySet<string>,
  run: () => Promise<PreflightCheck>,
): Promise<PreflightCheck> {
  if (!granted.has(endpoint)) return skipped(check.id, check.title, `needs ${endpoint} (not granted or not reachable)`);
  try {
    return await run();
  } catch (err) {
    return failed(check.id, check.title, `could not read ${endpoint}`, [reason(err)], 'run the preflight again; if it keeps failing, the answer above names the cause');
  }
}

/**
 * Checks the configured real services before go-live and after every mapping change, reading
 * only: DSCO credentials and warehouse codes; Lingxing credentials, IP whitelist, API grants,
 * stores, warehouses and logistics types of the mapping; and the timezone against Lingxing's clock.
 */
export async function runPreflight(deps: PreflightDeps): Promise<PreflightReport> {
  const now = deps.now ?? Date.now;
  const options = deps.signal ? { signal: deps.signal } : {};
  const { mapping } = deps;
  const clock = observingClock(deps.lingxing.call, now);
  const lists = makeAccountLists(clock.call);

  const dscoChecks = await runDscoChecks(deps.dsco, mapping, deps.signal);
  const access = await runLingxingAccessChecks(deps.lingxing, clock.call, now, deps.signal);
  const stores = await listCheck(MAPPING_CHECKS.stores, LINGXING_ACCOUNT_ENDPOINTS.sellerList, access.granted, async () =>
    checkStores(mapping, deps.platformCode, await lists.listStores([], options)),
  );
  const warehouses = await listCheck(MAPPING_CHECKS.warehouses, LINGXING_ACCOUNT_ENDPOINTS.warehouseList, access.granted, async () => {
    const all = [];
    for (const type of LINGXING_WAREHOUSE_TYPES) all.push(...(await lists.listWarehouses(type, options)));
    return checkWarehouses(mapping, all);
  });
  const logistics = await listCheck(MAPPING_CHECKS.logistics, LINGXING_ACCOUNT_ENDPOINTS.usedLogisticsTypes, access.granted, async () => {
    const all = [];
    for (const type of LINGXING_PROVIDER_TYPES) all.push(...(await lists.listLogisticsTypes(type, options)));
    return checkLogistics(mapping, all);
  });
  const checks = [...dscoChecks, ...access.checks, stores, warehouses, logistics, checkClock(deps.timezone, clock.sample(), deps.clockToleranceMs)];
  return { ok: checks.every((c) => c.status !== 'fail'), checkedAt: new Date(now()).toISOString(), checks };
}
