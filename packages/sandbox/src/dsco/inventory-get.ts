import { jsonResponse } from '../http/kit.js';
import { notFound, validationFailed } from './errors.js';
import type { DscoHandler } from './handlers.js';

const ENDPOINT = 'GET /inventory';
const KNOWN_PARAMS = new Set(['itemKey', 'value', 'dscoRetailerId', 'dscoTradingPartnerId', 'returnMultiple']);
const ITEM_KEYS = ['dscoItemId', 'sku', 'partnerSku', 'upc', 'ean', 'mpn', 'isbn', 'gtin'];

/**
 * One item's inventory as DSCO last stored it (from inventory batches). The sandbox keys its
 * inventory by supplier sku, so only `itemKey=sku` can find anything; other keys answer 404.
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
  const item = itemKey === 'sku' ? world.dsco.inventory().get(value as string) : undefined;
  if (!item) return notFound(`no item with ${itemKey} ${value}`);
  return jsonResponse(200, item);
};
