import { LINGXING_ACCOUNT_ENDPOINTS, LINGXING_CODES, LINGXING_ENDPOINTS, LingxingApiError, type LingxingCall, type LingxingClient } from '@dlsync/lingxing';
import { failed, passed, reason, skipped, type PreflightCheck } from './check.js';

export const LINGXING_CHECKS = {
  token: { id: 'lingxing.token', title: 'Lingxing app credentials and token' },
  ip: { id: 'lingxing.ip', title: "Lingxing IP whitelist (this machine's address)" },
  grants: { id: 'lingxing.grants', title: 'Lingxing APIs granted to the app' },
} as const;

/** Marks the probe's lookups, so they can be recognised in Lingxing's logs. */
const PROBE_PO = 'DLSYNC-PREFLIGHT';

/**
 * The read APIs dlsync calls, each probed with the smallest request that returns at most one
 * row (WMS orders of one day, `today` as Y-m-d). The write APIs are not probed: the preflight
 * never writes (see {@link UNPROBED_WRITE_APIS}).
 */
export const probedApis = (today: string): ReadonlyArray<{ endpoint: string; params: Record<string, unknown> }> => [
  { endpoint: LINGXING_ENDPOINTS.listOrders, params: { offset: 0, length: 1, platform_order_nos: [PROBE_PO] } },
  {
    endpoint: LINGXING_ENDPOINTS.wmsOrderList,
    params: { page: 1, page_size: 1, platform_order_no_arr: [PROBE_PO], time_type: 'create_at', start_date: today, end_date: today },
  },
  { endpoint: LINGXING_ENDPOINTS.inventoryDetails, params: { offset: 0, length: 1 } },
  { endpoint: LINGXING_ENDPOINTS.getPairList, params: { offset: 0, length: 1 } },
  { endpoint: LINGXING_ACCOUNT_ENDPOINTS.sellerList, params: { offset: 0, length: 1 } },
  { endpoint: LINGXING_ACCOUNT_ENDPOINTS.warehouseList, params: { offset: 0, length: 1 } },
  { endpoint: LINGXING_ACCOUNT_ENDPOINTS.usedLogisticsTypes, params: { param: { provider_type: 0, page: 1, length: 1 } } },
];

/** Only a real write would show whether these are granted; the first push or cancel tells. */
export const UNPROBED_WRITE_APIS: readonly string[] = [LINGXING_ENDPOINTS.createOrders, LINGXING_ENDPOINTS.cancelOrders];

export interface AccessResult {
  checks: PreflightCheck[];
  /** Endpoints that answered (granted); the list checks run only on these. */
  granted: Set<string>;
}

const WHITELIST_FIX =
  "add this machine's public IP address to the whitelist in Lingxing ERP (Settings › Business configuration › Global › Open API), then run the preflight again";

function credentialFailure(err: unknown): PreflightCheck {
  const { id, title } = LINGXING_CHECKS.token;
  const code = err instanceof LingxingApiError ? err.code : undefined;
  if (code === LINGXING_CODES.appNotExist || code === LINGXING_CODES.appSecretNotCorrect) {
    return failed(id, title, `Lingxing refused the app credentials (${code})`, [reason(err)], 'set auth.lingxing.app_id and auth.lingxing.app_secret to the AppId and AppSecret of this Lingxing account');
  }
  return failed(id, title, 'could not get an access token', [reason(err)], 'check integration.lingxing.base_url and that this machine can reach it, then run the preflight again');
}

function ipBlocked(): PreflightCheck {
  const { id, title } = LINGXING_CHECKS.ip;
  return failed(id, title, `Lingxing answered ${LINGXING_CODES.ipNotAllowed} (ip not permit)`, ["this machine's address is not on the Lingxing account's IP whitelist"], WHITELIST_FIX);
}

/**
 * The token (one issue or refresh), the IP whitelist (3001002 on any call) and the grant of each
 * read API (2001004 names the endpoint). A business error other than those means the gateway let
 * the call through, so the API is granted.
 */
export async function runLingxingAccessChecks(lingxing: Pick<LingxingClient, 'tokens'>, call: LingxingCall, now: () => number, signal?: AbortSignal): Promise<AccessResult> {
  const probes = probedApis(new Date(now()).toISOString().slice(0, 10));
  const granted = new Set<string>();
  const skipAll = (why: string, ...ids: Array<keyof typeof LINGXING_CHECKS>): PreflightCheck[] => ids.map((k) => skipped(LINGXING_CHECKS[k].id, LINGXING_CHECKS[k].title, why));
  try {
    await lingxing.tokens.getToken(signal);
  } catch (err) {
    if (err instanceof LingxingApiError && err.code === LINGXING_CODES.ipNotAllowed) {
      return { checks: [skipped(LINGXING_CHECKS.token.id, LINGXING_CHECKS.token.title, 'the IP whitelist refused the token call'), ipBlocked(), ...skipAll('needs the IP whitelist', 'grants')], granted };
    }
    return { checks: [credentialFailure(err), ...skipAll('needs a Lingxing token', 'ip', 'grants')], granted };
  }
  const problems: string[] = [];
  const unreachable: string[] = [];
  for (const probe of probes) {
    try {
      await call(probe.endpoint, probe.params, signal ? { signal } : {});
      granted.add(probe.endpoint);
    } catch (err) {
      if (!(err instanceof LingxingApiError)) unreachable.push(`${probe.endpoint}: ${reason(err)}`);
      else if (err.code === LINGXING_CODES.ipNotAllowed) {
        return { checks: [passed(LINGXING_CHECKS.token.id, LINGXING_CHECKS.token.title, 'access token issued'), ipBlocked(), ...skipAll('needs the IP whitelist', 'grants')], granted };
      } else if (err.code === LINGXING_CODES.apiNotAuthorized) problems.push(`${probe.endpoint}: not granted (${LINGXING_CODES.apiNotAuthorized} the api not authorized)`);
      else granted.add(probe.endpoint);
    }
  }
  const { grants } = LINGXING_CHECKS;
  const unprobed = `not probed (writes): ${UNPROBED_WRITE_APIS.join(', ')}`;
  let grantCheck: PreflightCheck;
  if (problems.length > 0) {
    grantCheck = failed(grants.id, grants.title, `${problems.length} of ${probes.length} APIs not granted; ${unprobed}`, [...problems, ...unreachable], 'ask Lingxing (your account manager or Open API support) to grant these APIs to the AppId dlsync uses');
  } else if (unreachable.length > 0) {
    grantCheck = failed(grants.id, grants.title, `${unreachable.length} APIs could not be checked`, unreachable, 'check that this machine can reach integration.lingxing.base_url, then run the preflight again');
  } else grantCheck = passed(grants.id, grants.title, `all ${probes.length} read APIs granted; ${unprobed}`);
  return {
    checks: [passed(LINGXING_CHECKS.token.id, LINGXING_CHECKS.token.title, 'access token issued'), passed(LINGXING_CHECKS.ip.id, LINGXING_CHECKS.ip.title, 'calls from this machine are accepted'), grantCheck],
    granted,
  };
}
