import { jsonResponse } from '../http/kit.js';
import { notFound, validationFailed } from './errors.js';
import type { DscoHandler } from './handlers.js';

const ENDPOINT = 'GET /inventory';
const KNOWN_PARAMS = new Set(['itemKey', 'value', 'dscoRetailerId', 'dscoTradingPartnerId', 'returnMultiple']);
const ITEM_KEYS = ['dscoItemId', 'sku', 'partnerSku', 'upc', 'ean', 'mpn', 'isbn', 'gtin'];

/**
 * One item's inventory as DSCO last stored it (from inventory batches); an item of the
 * catalog that never got inventory has no quantities yet. Anything else is unknown (404). The
 * sandbox keys its inventory by supplier sku, so only `itemKey=sku` can find anything.
 */
export const inventoryGet: DscoHandler = (request, { world }) => {
  const q = request.query;
  for (const key of q.keys()) {
    if (!KNOWN_PARAMS.has(key)) world.recorder.violation({ side: 'dsco', endpoint: ENDPOINT, problem: `unknown query parameter ${key}`, refused: false });
  }
  const itemKey = q.get('itemKey');
  const value = q.get('value');
  const errors: string[] = [];
  if (itemKey === null || !ITEM_KEYS.includes(itemKey)) errors.push(`itemKey is required, one of ${ITEM_KEYS.join(', ')}`);
  if (!value) errors.push('value is required');
  if (itemKey === 'partnerSku' && !q.get('dscoRetailerId') && !q.get('dscoTradingPartnerId')) errors.push('itemKey partnerSku needs dscoRetailerId or dscoTradingPartnerId');
  if (errors.length > 0) {
    for (const problem of errors) world.recorder.violation({ side: 'dsco', endpoint: ENDPOINT, problem, refused: true });
    return validationFailed(errors);
  }
  const sku = value as string;
  const stored = itemKey === 'sku' ? world.dsco.inventory().get(sku) : undefined;
  if (stored) return jsonResponse(200, stored);
  const inCatalog = itemKey === 'sku' && world.catalog.skus.some((s) => s.sku === sku);
  if (!inCatalog) return notFound(`no item with ${itemKey} ${value}`);
  return jsonResponse(200, { sku, warehouses: [], quantityAvailable: 0, status: 'out-of-stock' });
};
