import type { TaskRegistry } from '@dlsync/runner';
import { ackToDsco } from './ack-to-dsco.js';
import { checkOrders } from './check-orders.js';
import { invoiceToDsco } from './invoice-to-dsco.js';
import { pullDscoOrders } from './pull-dsco-orders.js';
import { pullSkuPair } from './pull-sku-pair.js';
import { pushToLingxing } from './push-to-lingxing.js';
import { shipToDsco } from './ship-to-dsco.js';
import { syncStockRequest } from './stock-request.js';
import { syncStock } from './sync-stock.js';

/** Every task, by name. Only the runner calls these; tasks never call each other. */
export const taskRegistry: TaskRegistry = {
  pull_dsco_orders: pullDscoOrders,
  push_to_lingxing: pushToLingxing,
  ack_to_dsco: ackToDsco,
  ship_to_dsco: shipToDsco,
  invoice_to_dsco: invoiceToDsco,
  // A stock request (the inventory API) sends the given quantities instead of Lingxing's.
  sync_stock: (ctx) => (ctx.stock ? syncStockRequest(ctx, ctx.stock) : syncStock(ctx)),
  pull_sku_pair: pullSkuPair,
  check_orders: checkOrders,
};

export { ackToDsco, checkOrders, invoiceToDsco, pullDscoOrders, pullSkuPair, pushToLingxing, shipToDsco, syncStock, syncStockRequest };
export { STOCK_REQUEST_SKIPS } from './stock-request.js';
export * from './rules/index.js';
export { ACK_KIND, SHIPMENT_KIND, INVOICE_KIND } from './verified-writes/index.js';
