import { DscoApiError, type DscoClient, type DscoWarehouse } from '@dlsync/dsco';
import type { Mapping } from '@dlsync/config';
import { checkFrom, failed, passed, reason, skipped, type PreflightCheck } from './check.js';

const TOKEN = { id: 'dsco.token', title: 'DSCO token' } as const;
const WAREHOUSES = { id: 'dsco.warehouses', title: 'DSCO warehouses (mapping.warehouse keys)' } as const;

/** HTTP statuses with which DSCO refuses the credentials themselves. */
const REFUSED = new Set([401, 403]);

function tokenFailure(err: unknown): PreflightCheck {
  if (err instanceof DscoApiError && err.status !== undefined && REFUSED.has(err.status)) {
    return failed(
      TOKEN.id,
      TOKEN.title,
      `DSCO refused the credentials (HTTP ${err.status})`,
      [`GET ${err.endpoint} answered ${err.status}: the token is missing, expired, revoked or belongs to another environment`],
      'set auth.dsco.token (or auth.dsco.client_id and auth.dsco.client_secret) to credentials of this DSCO account and environment (integration.dsco.base_url)',
    );
  }
  return failed(
    TOKEN.id,
    TOKEN.title,
    'could not reach DSCO',
    [reason(err)],
    'check integration.dsco.base_url and that this machine can reach it, then run the preflight again',
  );
}

/** Every mapping.warehouse key must be one of the account's DSCO warehouse codes, and active. */
export function checkDscoWarehouseCodes(mapping: Mapping, warehouses: readonly DscoWarehouse[]): PreflightCheck {
  const byCode = new Map(warehouses.map((w) => [w.code, w]));
  const known = [...byCode.keys()].sort().join(', ') || 'none';
  const problems: string[] = [];
  for (const code of Object.keys(mapping.warehouse).sort()) {
    const warehouse = byCode.get(code);
    if (!warehouse) problems.push(`mapping.warehouse.${code}: "${code}" is not a warehouse code of this DSCO account (known: ${known})`);
    else if (warehouse.status === 'inactive') problems.push(`mapping.warehouse.${code}: DSCO warehouse "${code}" is inactive`);
  }
  const mapped = Object.keys(mapping.warehouse).length;
  return checkFrom(
    WAREHOUSES.id,
    WAREHOUSES.title,
    `${mapped} mapped code${mapped === 1 ? '' : 's'} among the account's ${warehouses.length} warehouse${warehouses.length === 1 ? '' : 's'}`,
    problems,
    "rename each key to the warehouse's code in DSCO (the supplier code orders carry as warehouseCode), or activate the warehouse in DSCO",
  );
}

/** DSCO: the token works (one read of the warehouse list proves it) and the warehouse codes exist. */
export async function runDscoChecks(dsco: Pick<DscoClient, 'listWarehouses'>, mapping: Mapping, signal?: AbortSignal): Promise<PreflightCheck[]> {
  let warehouses: DscoWarehouse[];
  try {
    warehouses = await dsco.listWarehouses(signal ? { signal } : {});
  } catch (err) {
    return [tokenFailure(err), skipped(WAREHOUSES.id, WAREHOUSES.title, 'needs a working DSCO token')];
  }
  return [passed(TOKEN.id, TOKEN.title, 'DSCO accepted the credentials'), checkDscoWarehouseCodes(mapping, warehouses)];
}
