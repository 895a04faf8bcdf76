import { jsonResponse } from '../http/kit.js';
import { validationFailed } from './errors.js';
import type { DscoHandler } from './handlers.js';

const ENDPOINT = 'GET /warehouse/page';
/** Query parameters `GET /warehouse/page` takes, per the API reference. */
const KNOWN_PARAMS = new Set(['scrollId', 'idType', 'idValue', 'status', 'supplierId', 'dscoTradingPartnerId', 'name']);
const ID_TYPES = ['code', 'warehouseId'];
const STATUSES = ['active', 'inactive'];

/** Dsco's own warehouse id for a supplier code: stable, numeric-looking, distinct from the code. */
const dscoWarehouseId = (index: number): string => String(7_000_001 + index);

/**
 * The supplier's warehouses. The sandbox's are few, so every answer is one page (no scrollId).
 * Unknown parameters are recorded as violations; bad values are refused with 400 as DSCO does.
 */
export const warehousePage: DscoHandler = (request, { world }) => {
  const q = request.query;
  for (const key of q.keys()) {
    if (!KNOWN_PARAMS.has(key)) world.recorder.violation({ side: 'dsco', endpoint: ENDPOINT, problem: `unknown query parameter ${key}`, refused: false });
  }
  const errors: string[] = [];
  const idType = q.get('idType');
  const idValue = q.get('idValue');
  const status = q.get('status');
  if (idType !== null && !ID_TYPES.includes(idType)) errors.push(`idType must be one of ${ID_TYPES.join(', ')}`);
  if (idType !== null && !idValue) errors.push('idValue is required when idType is present');
  if (status !== null && !STATUSES.includes(status)) errors.push(`status must be one of ${STATUSES.join(', ')}`);
  if (errors.length > 0) {
    for (const problem of errors) world.recorder.violation({ side: 'dsco', endpoint: ENDPOINT, problem, refused: true });
    return validationFailed(errors);
  }
  const warehouses = world.catalog.warehouses
    .map((w, i) => ({ warehouseId: dscoWarehouseId(i), code: w.code, name: w.name, status: 'active' as const }))
    .filter((w) => (idType === 'code' ? w.code === idValue : idType === 'warehouseId' ? w.warehouseId === idValue : true))
    .filter((w) => status === null || w.status === status)
    .filter((w) => q.get('name') === null || w.name === q.get('name'));
  return jsonResponse(200, { warehouses });
};
